package dev.harvest.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
        AtomicLong served = new AtomicLong();
        InputStream zeros = new InputStream() { // like /dev/zero: never a newline, never an end
            @Override
            public int read() {
                served.incrementAndGet();
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                served.addAndGet(len);
                java.util.Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        };
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (LineIdSource s = new LineIdSource(zeros, -1, false, false, 1024, false)) {
                s.next();
            } catch (Throwable e) {
                ended.set(e);
            }
        });
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (served.get() < 64L << 20 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(served.get() >= 64L << 20, "the reader went through 64 MiB of one line");
        reader.interrupt();
        reader.join(60_000);
        assertFalse(reader.isAlive(), "a stop ends the skip of an endless line");
        assertInstanceOf(InterruptedIOException.class, ended.get());
    }

    static byte[] concat(byte[]... parts) {
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
