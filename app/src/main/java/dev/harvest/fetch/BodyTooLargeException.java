package dev.harvest.fetch;

import java.io.IOException;

/** A response body exceeded --max-body; reading stopped at the limit. */
final class BodyTooLargeException extends IOException {
    BodyTooLargeException(String message) {
        super(message);
    }
}
