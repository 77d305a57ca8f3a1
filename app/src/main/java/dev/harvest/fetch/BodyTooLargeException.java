package dev.harvest.fetch;

import java.io.IOException;

/** A response body exceeded --max-body; reading stopped at the limit. */
final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(String message) {
        super(message);
    }
}
