package dev.harvest.read;

import java.nio.charset.StandardCharsets;

/**
 * Selects the IDs one of N cooperating processes owns: those whose stable hash mod N is K. The hash
 * (64-bit FNV-1a of the ID's UTF-8 bytes) is fixed, so every shard and every re-run agree.
 *
 * @param index this shard, 0 to count-1
 * @param count how many shards share the input
 */
public record Shard(int index, int count) {

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count);
        }
    }

    /** Whether this shard owns the ID. */
    public boolean owns(String id) {
        return count == 1 || Long.remainderUnsigned(hash(id), count) == index;
    }

    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The suffix output names carry, e.g. {@code -shard2of4}. */
    public String fileSuffix() {
        return "-shard" + index + "of" + count;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
