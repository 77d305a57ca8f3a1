package dev.harvest.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.TestBytes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvIdSourceTest {

    private static List<InputLine> read(String csv, String column, boolean onlyRetryable) throws Exception {
        return read(csv.getBytes(StandardCharsets.UTF_8), true, false, column, onlyRetryable);
    }

    private static List<InputLine> read(byte[] b, boolean header, boolean trim, String column, boolean onlyRetryable)
            throws Exception {
        List<InputLine> out = new ArrayList<>();
        try (CsvIdSource s = new CsvIdSource(new ByteArrayInputStream(b), b.length, header, trim, column, null, 100,
                onlyRetryable)) {
            InputLine l;
            while ((l = s.next()) != null) {
                out.add(l);
            }
            assertEquals(b.length, s.bytesRead(), "offset reaches the size at the end");
        }
        return out;
    }

    @Test
    void quotedFieldsAndNamedColumnNumberedByTheLineTheyStartOn() throws Exception {
        String csv = "name,customer_id\r\n\"Smith, J\",C1\r\n\"multi\nline\",\"C \"\"2\"\"\"\r\n,\r\n\"a\r\nb\",C3\nx,C4";
        assertEquals(List.of(new InputLine.Id(2, "C1"), new InputLine.Id(3, "C \"2\""),
                new InputLine.Skipped(5, SkipReason.BLANK), new InputLine.Id(6, "C3"), new InputLine.Id(8, "C4")),
                read(csv, "customer_id", false));
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
        assertThrows(InputException.class, () -> read("a,b\n1,2\n", "customer_id", false));
    }

    @Test
    void aMalformedRowIsOneInvalidLineWithItsLineNumberAndReadingGoesOn() throws Exception {
        String csv = "id,n\nq1,1\n\"q2\"x,2\nq3,3\n\"multi\nline\"oops,4\nq5,5\n";
        List<InputLine> lines = read(csv, "id", false);
        assertEquals(5, lines.size(), lines.toString());
        assertEquals(new InputLine.Id(2, "q1"), lines.get(0));
        InputLine.Invalid bad = assertInstanceOf(InputLine.Invalid.class, lines.get(1));
        assertEquals(3, bad.number());
        assertEquals("", bad.id(), "no guessed ID that a re-run could fetch");
        assertEquals("malformed CSV row at line 3: text after the closing quote of field 1 (row starts: \"q2\"x,2)", bad.why());
        assertEquals(new InputLine.Id(4, "q3"), lines.get(2));
        assertEquals(5, lines.get(3).number(), "a multi-line record is numbered by its first line");
        assertInstanceOf(InputLine.Invalid.class, lines.get(3));
        assertEquals(new InputLine.Id(7, "q5"), lines.get(4));
    }

    @Test
    void anUnterminatedQuoteAtTheEndIsOneInvalidLine() throws Exception {
        List<InputLine> lines = read("id\nq1\n\"q2\nq3\nq4\n", "id", false);
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(new InputLine.Id(2, "q1"), lines.get(0));
        InputLine.Invalid bad = assertInstanceOf(InputLine.Invalid.class, lines.get(1));
        assertEquals(3, bad.number());
        assertTrue(bad.why().contains("no closing quote before the end of the input"), bad.why());
    }

    @Test
    void aByteOrderMarkBeforeAQuotedHeader() throws Exception {
        // PowerShell's Export-Csv writes exactly this.
        assertEquals(List.of(new InputLine.Id(2, "C1")), read("\uFEFF\"id\",\"name\"\r\n\"C1\",\"Smith\"\r\n", "id", false));
        assertEquals(List.of(new InputLine.Id(1, "C1")),
                read("\uFEFF\"C1\",x\n".getBytes(StandardCharsets.UTF_8), false, false, "1", false));
    }

    @Test
    void idsAreNotTrimmedUnlessAsked() throws Exception {
        byte[] csv = "id,n\n C1 ,1\n\" C2\",2\n  ,3\n".getBytes(StandardCharsets.UTF_8);
        List<InputLine> asWritten = read(csv, true, false, "id", false);
        assertEquals(new InputLine.Id(2, " C1 "), asWritten.get(0));
        assertEquals(new InputLine.Id(3, " C2"), asWritten.get(1));
        assertEquals(new InputLine.Invalid(4, "  ", "empty ID"), asWritten.get(2));
        List<InputLine> trimmed = read(csv, true, true, "id", false);
        assertEquals(List.of(new InputLine.Id(2, "C1"), new InputLine.Id(3, "C2"), new InputLine.Invalid(4, "", "empty ID")),
                trimmed);
    }

    @Test
    void controlCharactersStayInTheIdAsWrittenAndALoneCrEndsARecord() throws Exception {
        List<InputLine> lines = read("id\n\"a\u0000b\"\na\rb\nok\r\n\"c\rd\"\rlast", "id", false);
        assertEquals(List.of(new InputLine.Invalid(2, "a\u0000b", "control character U+0000 at position 2"),
                new InputLine.Id(3, "a"), new InputLine.Id(4, "b"), new InputLine.Id(5, "ok"),
                new InputLine.Invalid(6, "c\rd", "control character U+000D at position 2"), new InputLine.Id(8, "last")), lines);
    }

    @Test
    void anOldMacFileWithCrEndingsAndAQuotedLineBreak() throws Exception {
        List<InputLine> lines = read("n,id\r1,A\r2,\"B\"\r\"x\ry\",C\r3,\"D\"x\r4,E", "id", false);
        assertEquals(List.of(new InputLine.Id(2, "A"), new InputLine.Id(3, "B"), new InputLine.Id(4, "C")), lines.subList(0, 3));
        assertEquals(6, lines.get(3).number());
        assertInstanceOf(InputLine.Invalid.class, lines.get(3));
        assertEquals(new InputLine.Id(7, "E"), lines.get(4));
    }

    // The next cases are the kinds of file met when csv-spectrum and csvkit's example files were
    // run end to end (written here by hand, not copied).

    @Test
    void aCrlfInsideQuotesIsKeptAsWrittenInTheId() throws Exception {
        byte[] csv = "a,b\r\n1,2\r\n\"Once upon \r\na time\",5\r\n7,8\r\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(new InputLine.Id(2, "1"),
                new InputLine.Invalid(3, "Once upon \r\na time", "control character U+000D at position 11"),
                new InputLine.Id(5, "7")), read(csv, true, false, "1", false));
    }

    @Test
    void invalidUtf8ElsewhereInTheRowLeavesTheIdAlone() throws Exception {
        byte[] csv = TestBytes.concat("phone,where\n2095257564,37".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xB0}, "36'N\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new InputLine.Id(2, "2095257564")), read(csv, true, false, "phone", false));
        assertEquals(List.of(new InputLine.Invalid(2, "37\uFFFD36'N", "not valid UTF-8")), read(csv, true, false, "where", false));
    }

    @Test
    void raggedRowsAndNul() throws Exception {
        String csv = "a,b,c\n1,27,,\"I'm too long!\"\n,\"I'm too short!\"\n\u0000,2,3\n";
        List<InputLine> third = read(csv, "3", false);
        assertEquals(new InputLine.Invalid(2, "", "empty ID"), third.get(0));
        InputLine.Invalid shortRow = assertInstanceOf(InputLine.Invalid.class, third.get(1));
        assertEquals("", shortRow.id());
        assertTrue(shortRow.why().startsWith("row has no column 3"), shortRow.why());
        assertEquals(new InputLine.Id(4, "3"), third.get(2));
        assertEquals(new InputLine.Invalid(4, "\u0000", "control character U+0000 at position 1"), read(csv, "1", false).get(2));
    }

    @Test
    void anEndlessRowIsReadInBoundedMemoryAndAStopEndsIt() throws Exception {
        EndlessInput xs = new EndlessInput((byte) 'x');
        InputStream endless = new SequenceInputStream(new ByteArrayInputStream("id\n\"".getBytes(StandardCharsets.UTF_8)), xs);
        xs.assertReadIsBoundedAndAStopEndsIt(() -> {
            try (CsvIdSource s = new CsvIdSource(endless, -1, true, false, "id", null, 1024, false)) {
                s.next();
            }
        }, "the reader went through 64 MiB of one quoted field", "a stop ends the read of an endless row");
    }
}
