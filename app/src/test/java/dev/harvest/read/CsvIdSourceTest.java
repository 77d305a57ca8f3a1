package dev.harvest.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.harvest.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvIdSourceTest {

    private static List<InputLine> read(String csv, String column, boolean onlyRetryable) throws Exception {
        byte[] b = csv.getBytes(StandardCharsets.UTF_8);
        List<InputLine> out = new ArrayList<>();
        try (CsvIdSource s = new CsvIdSource(new ByteArrayInputStream(b), b.length, true, column, null, 100, onlyRetryable)) {
            InputLine l;
            while ((l = s.next()) != null) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void quotedFieldsAndNamedColumn() throws Exception {
        String csv = "name,customer_id\r\n\"Smith, J\",C1\r\n\"multi\nline\",\"C \"\"2\"\"\"\r\n,\r\n";
        assertEquals(List.of(new InputLine.Id(2, "C1"), new InputLine.Id(3, "C \"2\""),
                new InputLine.Skipped(4, SkipReason.BLANK)), read(csv, "customer_id", false));
    }

    @Test
    void aFailedFileReadsBackAndOnlyRetryableFilters() throws Exception {
        String failed = "id,reason,http_status,attempts,retryable,message\n"
                + "C1,http_5xx,503,4,true,HTTP 503\nC2,http_404,404,1,false,\"HTTP 404: no, really\"\n";
        assertEquals(List.of(new InputLine.Id(2, "C1"), new InputLine.Id(3, "C2")), read(failed, "1", false));
        assertEquals(List.of(new InputLine.Id(2, "C1"), new InputLine.Skipped(3, SkipReason.NOT_RETRYABLE)),
                read(failed, "1", true));
    }

    @Test
    void unknownColumnIsAConfigError() {
        assertThrows(ConfigException.class, () -> read("a,b\n1,2\n", "customer_id", false));
    }
}
