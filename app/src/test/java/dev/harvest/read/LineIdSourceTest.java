package dev.harvest.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineIdSourceTest {

    private static List<InputLine> read(byte[] bytes, boolean header, int maxLen) throws IOException {
        List<InputLine> out = new ArrayList<>();
        try (LineIdSource s = new LineIdSource(new ByteArrayInputStream(bytes), bytes.length, header, maxLen, false)) {
            InputLine l;
            while ((l = s.next()) != null) {
                out.add(l);
            }
            assertEquals(bytes.length, s.bytesRead(), "offset reaches the size at the end");
        }
        return out;
    }

    @Test
    void bomCrlfBlanksAndHeader() throws IOException {
        byte[] in = "\uFEFFcustomer_id\r\nC1\r\n\r\n  C2  \r\nC3".getBytes(StandardCharsets.UTF_8);
        List<InputLine> lines = read(in, true, 100);
        assertEquals(List.of(new InputLine.Skipped(1, SkipReason.HEADER), new InputLine.Id(2, "C1"),
                new InputLine.Skipped(3, SkipReason.BLANK), new InputLine.Id(4, "C2"), new InputLine.Id(5, "C3")), lines);
    }

    @Test
    void headerTextIsReported() throws IOException {
        byte[] in = "\uFEFFcustomer_id\nC1\n".getBytes(StandardCharsets.UTF_8);
        try (LineIdSource s = new LineIdSource(new ByteArrayInputStream(in), in.length, true, 100, false)) {
            s.next();
            assertEquals("customer_id", s.header());
            assertEquals(new InputLine.Id(2, "C1"), s.next());
            assertNull(s.next());
        }
    }

    @Test
    void badLinesBecomeInvalidIdsAndReadingGoesOn() throws IOException {
        byte[] longLine = "x".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
        byte[] in = concat("A\u0001B\n".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x28, '\n'},
                longLine, "\nOK\n".getBytes(StandardCharsets.UTF_8));
        List<InputLine> lines = read(in, false, 20);
        assertEquals(4, lines.size());
        assertInstanceOf(InputLine.Invalid.class, lines.get(0));
        assertEquals("A\\u0001B", ((InputLine.Invalid) lines.get(0)).id());
        assertEquals("not valid UTF-8", ((InputLine.Invalid) lines.get(1)).why());
        assertEquals("longer than 20 characters", ((InputLine.Invalid) lines.get(2)).why());
        assertEquals(new InputLine.Id(4, "OK"), lines.get(3));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
