package dev.harvest;

import java.io.ByteArrayOutputStream;

/** Byte arrays for tests that build inputs and bodies from pieces (valid and broken UTF-8 alike). */
public final class TestBytes {
    private TestBytes() {
    }

    /** The parts one after the other. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
