package dev.harvest.cli;

import dev.harvest.read.Shard;
import java.util.Map;
import java.util.Optional;

/**
 * A Kubernetes Indexed Job gives every pod {@code JOB_COMPLETION_INDEX}; harvest shards by it only
 * together with {@code HARVEST_SHARDS}. Without that, every pod would fetch every ID: legal (one
 * index, or a Job that is not meant to shard), but so likely a mistake that it is said at start.
 */
final class ShardHint {
    private ShardHint() {
    }

    /** The warning for this environment and shard, if one is due. */
    static Optional<String> warning(Map<String, String> env, Shard shard) {
        String index = env.get("JOB_COMPLETION_INDEX");
        if (index == null || env.get("HARVEST_SHARDS") != null || shard.count() > 1) {
            return Optional.empty();
        }
        return Optional.of("JOB_COMPLETION_INDEX is set (" + index + ", a Kubernetes Indexed Job) but HARVEST_SHARDS"
                + " is not: this pod fetches every ID, as every other index does; set HARVEST_SHARDS to the Job's"
                + " completions (or give --shard K/N)");
    }
}
