package dev.harvest.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a small UTF-8 file an operator names (a config file, a token file) without trusting its
 * size: a regular file over the bound is refused before reading, and anything else (a FIFO,
 * {@code /dev/zero}, {@code /dev/stdin}) is read up to the bound and refused past it, so a wrong
 * path can never exhaust memory.
 */
final class BoundedFile {
    private BoundedFile() {
    }

    /**
     * The file's text.
     *
     * @param what     how messages name the file, e.g. {@code "--token-file /run/token"}
     * @param maxBytes the largest accepted size
     * @param maxText  that size for messages, e.g. {@code "64 KiB"}
     * @throws ConfigException when it is missing, a directory, unreadable, too big or not UTF-8
     */
    static String read(Path file, String what, int maxBytes, String maxText) throws ConfigException {
        if (Files.isDirectory(file)) {
            throw new ConfigException(what + ": is a directory");
        }
        byte[] bytes;
        try {
            if (Files.isRegularFile(file) && Files.size(file) > maxBytes) {
                throw new ConfigException(what + ": larger than " + maxText + "; is this the right file?");
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(maxBytes + 1);
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(what + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(what + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > maxBytes) {
            throw new ConfigException(what + ": larger than " + maxText + "; is this the right file?");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(what + ": not UTF-8 text");
        }
    }
}
