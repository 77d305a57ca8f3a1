package dev.harvest.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The failed file's reason for a status says which class the status is in, and no other. */
class FailureReasonTest {
    @Test
    void aStatusOutsideTheHttpClassesIsOther() {
        assertEquals(FailureReason.HTTP_5XX, FailureReason.forStatus(500));
        assertEquals(FailureReason.HTTP_5XX, FailureReason.forStatus(599));
        assertEquals(FailureReason.HTTP_4XX, FailureReason.forStatus(418));
        assertEquals(FailureReason.HTTP_3XX, FailureReason.forStatus(399));
        assertEquals(FailureReason.HTTP_OTHER, FailureReason.forStatus(101));
        assertEquals(FailureReason.HTTP_OTHER, FailureReason.forStatus(600));
        assertEquals(FailureReason.HTTP_OTHER, FailureReason.forStatus(999));
        assertEquals("http_other", FailureReason.forStatus(999).label());
    }
}
