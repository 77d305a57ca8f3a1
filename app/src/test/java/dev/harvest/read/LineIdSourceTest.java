package dev.harvest.read;

import static dev.harvest.TestBytes.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineIdSourceTest {

    private static List<InputLine> read(byte[] bytes, boolean header, boolean trim, int maxLen) throws IOException {
        List<InputLine> out = new ArrayList<>();
        try (LineIdSource s = new LineIdSource(new ByteArrayInputStream(bytes), bytes.length, header, trim, maxLen, false)) {
            InputLine l;
            while ((l = s.next()) != null) {
                out.add(l);
            }
            assertEquals(bytes.length, s.bytesRead(), "offset reaches the size at the end");
        }
        return out;
    }

    private static List<InputLine> read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8), false, false, 100);
    }

    @Test
    void bomCrlfBlanksAndHeader() throws IOException {
        byte[] in = "\uFEFFcustomer_id\r\nC1\r\n\r\n  C2  \r\nC3".getBytes(StandardCharsets.UTF_8);
        List<InputLine> lines = read(in, true, true, 100);
        assertEquals(List.of(new InputLine.Skipped(1, SkipReason.HEADER), new InputLine.Id(2, "C1"),
                new InputLine.Skipped(3, SkipReason.BLANK), new InputLine.Id(4, "C2"), new InputLine.Id(5, "C3")), lines);
    }

    @Test
    void aPlainListHasNoHeaderItsFirstLineIsAnId() throws IOException {
        assertEquals(List.of(new InputLine.Id(1, "C1"), new InputLine.Id(2, "C2"), new InputLine.Id(3, "C3")),
                read("C1\nC2\nC3\n"));
        assertEquals(List.of(new InputLine.Id(1, "C1")), read("\uFEFFC1\r\n"), "a BOM before the first ID");
    }

    @Test
    void idsAreTakenAsWrittenUnlessTrimmed() throws IOException {
        assertEquals(List.of(new InputLine.Id(1, " C1"), new InputLine.Id(2, "C2 "), new InputLine.Skipped(3, SkipReason.BLANK)),
                read(" C1\nC2 \n  \n"));
        List<InputLine> trimmed = read(" C1\nC2 \n".getBytes(StandardCharsets.UTF_8), false, true, 100);
        assertEquals(List.of(new InputLine.Id(1, "C1"), new InputLine.Id(2, "C2")), trimmed);
    }

    @Test
    void headerTextIsReported() throws IOException {
        byte[] in = "\uFEFFcustomer_id\nC1\n".getBytes(StandardCharsets.UTF_8);
        try (LineIdSource s = new LineIdSource(new ByteArrayInputStream(in), in.length, true, false, 100, false)) {
            s.next();
            assertEquals("customer_id", s.header());
            assertEquals(new InputLine.Id(2, "C1"), s.next());
            assertNull(s.next());
        }
    }

    @Test
    void badLinesBecomeInvalidIdsKeptAsWrittenAndReadingGoesOn() throws IOException {
        byte[] longLine = "x".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
        byte[] in = concat("A\u0001B\n".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x28, '\n'},
                longLine, "\nA\u0000B\nA\rB\r\nOK\n".getBytes(StandardCharsets.UTF_8));
        List<InputLine> lines = read(in, false, false, 20);
        assertEquals(7, lines.size());
        assertInstanceOf(InputLine.Invalid.class, lines.get(0));
        assertEquals("A\u0001B", ((InputLine.Invalid) lines.get(0)).id(), "the failed file gets the ID as written");
        assertEquals("not valid UTF-8", ((InputLine.Invalid) lines.get(1)).why());
        assertEquals("longer than 20 characters", ((InputLine.Invalid) lines.get(2)).why());
        assertTrue(((InputLine.Invalid) lines.get(2)).id().length() <= 20 * 4 + 64, "a long line is kept cut short");
        assertEquals(new InputLine.Invalid(4, "A\u0000B", "control character U+0000 at position 2"), lines.get(3));
        assertEquals(List.of(new InputLine.Id(5, "A"), new InputLine.Id(6, "B")), lines.subList(4, 6),
                "a lone CR ends a line (old Mac files), a CRLF is one ending");
        assertEquals(new InputLine.Id(7, "OK"), lines.get(6));
    }

    @Test
    void anEndlessLineIsSkippedInBoundedMemoryAndAStopEndsTheSkip() throws Exception {
        EndlessInput zeros = new EndlessInput((byte) 0); // like /dev/zero: never a newline, never an end
        zeros.assertReadIsBoundedAndAStopEndsIt(() -> {
            try (LineIdSource s = new LineIdSource(zeros, -1, false, false, 1024, false)) {
                s.next();
            }
        }, "the reader went through 64 MiB of one line", "a stop ends the skip of an endless line");
    }

}
