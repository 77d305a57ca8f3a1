package dev.harvest.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Renders seeded random bodies, good and broken, through every projection shape and writes what
 * each became (rows or rejection) to one file per shape (not a test: run by hand before and after
 * a renderer change, then compare the directories with {@code cmp}):
 * <pre>
 * java -cp app/target/test-classes:app/target/classes:$(cat /tmp/cp.txt) dev.harvest.store.RenderDiff /tmp/before 20000
 * </pre>
 */
public final class RenderDiff {
    private RenderDiff() {
    }

    private static final String[][] SHAPES = {
            {"whole", "JSONL", null, null},
            {"records", "JSONL", "/details", null},
            {"fields-csv", "CSV", "/details", "c={id},id=/id,x=/x,ab=/a/b,zero=/0,arr1=/arr/1,arr=/arr,s=/relevanceScore"},
            {"fields-jsonl", "JSONL", "/details", "c={id},id=/id,x=/x,ab=/a/b,zero=/0,arr1=/arr/1,arr=/arr,s=/relevanceScore"},
            {"root-fields-csv", "CSV", null, "id=/id,d0x=/details/0/x,details=/details,c={id},name=/name"},
            {"root-fields-jsonl", "JSONL", null, "id=/id,d0x=/details/0/x,details=/details,c={id},name=/name"},
            {"indexed-records", "JSONL", "/arr/1", "x=/x,id=/id"},
            {"indexed-records-csv", "CSV", "/a/0/b", "x=/x,id=/id,c={id}"},
            {"bench", "CSV", "/details", "customer={id},id=/id,relevanceScore=/relevanceScore,relevanceRank=/relevanceRank"},
    };

    private static final String[] KEYS = {"id", "details", "x", "a", "b", "0", "1", "arr", "relevanceScore", "name", "i\\u0064",
            "d\\u0065tails", "", "é", "relevanceRank"};
    private static final String[] STRINGS = {"", "plain", "with, comma", "q\\\"uote", "back\\\\slash", "sl\\/ash", "nl\\n",
            "tab\\t", "\\u00e9t\\u00E9", "\\ud83d\\ude00", "lone \\ud800", "lone \\udc00 low", "Zoë Müller", "😀 emoji", "日本",
            "cr\\r\\b\\f", "a,b\\\"c", "x@example.com"};
    private static final String[] NUMBERS = {"0", "-0", "1", "-12", "0.5", "1E2", "1e-7", "1.25E+10", "123456789012345678901234567890",
            "0.1234567890123456789", "3", "0.91", "-0.0e0"};
    private static final String[] WS = {"", "", "", "", " ", "\n", "\r\n", "\t", "  "};

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        byte[][] bodies = new byte[count][];
        String[] ids = new String[count];
        Random random = new Random(4711);
        for (int i = 0; i < count; i++) {
            bodies[i] = body(random);
            ids[i] = switch (random.nextInt(10)) {
                case 0 -> "id,with comma " + i;
                case 1 -> "Zoë \"" + i + "\"";
                case 2 -> "tab\t" + i;
                default -> "c" + i;
            };
        }
        for (String[] shape : SHAPES) {
            ResponseRenderer renderer = new ResponseRenderer(OutputFormat.valueOf(shape[1]), Projection.parse(shape[2], shape[3]));
            ByteSink sink = new ByteSink();
            try (OutputStream out = Files.newOutputStream(dir.resolve(shape[0] + ".out"))) {
                for (int i = 0; i < count; i++) {
                    sink.reset();
                    Rendered r = renderer.render(ids[i], 200, bodies[i], "application/json", sink);
                    switch (r) {
                        case Rendered.Rows rows -> {
                            out.write(("#" + i + " rows " + rows.count() + "\n").getBytes(StandardCharsets.UTF_8));
                            out.write(sink.array(), 0, sink.length());
                        }
                        case Rendered.Rejected rej -> out.write(("#" + i + " " + rej.reason() + " " + rej.message() + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    private static byte[] body(Random r) {
        if (r.nextInt(200) == 0) { // deep nesting around the limit
            int depth = 995 + r.nextInt(10);
            return ("{\"details\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(ws(r));
        if (r.nextInt(10) < 7) {
            envelope(r, sb);
        } else {
            value(r, sb, 0);
        }
        sb.append(ws(r));
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(20) == 0) {
            byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            byte[] c = new byte[b.length + 3];
            System.arraycopy(bom, 0, c, 0, 3);
            System.arraycopy(b, 0, c, 3, b.length);
            b = c;
        }
        return r.nextInt(10) < 3 ? mutate(r, b) : b;
    }

    private static void envelope(Random r, StringBuilder sb) {
        sb.append('{').append(ws(r));
        int n = r.nextInt(4);
        boolean first = true;
        for (int k = 0; k < n; k++) {
            first = member(r, sb, first, KEYS[r.nextInt(KEYS.length)], () -> value(r, sb, 1));
        }
        if (r.nextInt(20) != 0) {
            first = member(r, sb, first, r.nextInt(20) == 0 ? "d\\u0065tails" : "details", () -> records(r, sb));
        }
        if (r.nextInt(15) == 0) { // twice
            first = member(r, sb, first, "details", () -> records(r, sb));
        }
        n = r.nextInt(3);
        for (int k = 0; k < n; k++) {
            first = member(r, sb, first, KEYS[r.nextInt(KEYS.length)], () -> value(r, sb, 1));
        }
        sb.append(ws(r)).append('}');
    }

    private static void records(Random r, StringBuilder sb) {
        if (r.nextInt(20) == 0) {
            value(r, sb, 2);
            return;
        }
        sb.append('[').append(ws(r));
        int n = r.nextInt(5);
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                sb.append(ws(r)).append(',').append(ws(r));
            }
            if (r.nextInt(10) == 0) {
                value(r, sb, 2);
            } else {
                record(r, sb);
            }
        }
        sb.append(ws(r)).append(']');
    }

    private static void record(Random r, StringBuilder sb) {
        sb.append('{').append(ws(r));
        int n = r.nextInt(6);
        boolean first = true;
        for (int k = 0; k < n; k++) {
            first = member(r, sb, first, KEYS[r.nextInt(KEYS.length)], () -> value(r, sb, 2));
        }
        sb.append(ws(r)).append('}');
    }

    private static boolean member(Random r, StringBuilder sb, boolean first, String key, Runnable value) {
        if (!first) {
            sb.append(ws(r)).append(',').append(ws(r));
        }
        sb.append('"').append(key).append('"').append(ws(r)).append(':').append(ws(r));
        value.run();
        return false;
    }

    private static void value(Random r, StringBuilder sb, int depth) {
        int kind = r.nextInt(depth > 4 ? 6 : 9);
        switch (kind) {
            case 0, 1 -> sb.append('"').append(STRINGS[r.nextInt(STRINGS.length)]).append('"');
            case 2, 3 -> sb.append(NUMBERS[r.nextInt(NUMBERS.length)]);
            case 4 -> sb.append(r.nextBoolean() ? "true" : "false");
            case 5 -> sb.append("null");
            case 6 -> record(r, sb);
            case 7 -> {
                sb.append('[').append(ws(r));
                int n = r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    if (k > 0) {
                        sb.append(ws(r)).append(',').append(ws(r));
                    }
                    value(r, sb, depth + 1);
                }
                sb.append(ws(r)).append(']');
            }
            default -> {
                sb.append('{').append(ws(r));
                int n = r.nextInt(4);
                boolean first = true;
                for (int k = 0; k < n; k++) {
                    first = member(r, sb, first, KEYS[r.nextInt(KEYS.length)], () -> value(r, sb, depth + 1));
                }
                sb.append(ws(r)).append('}');
            }
        }
    }

    private static String ws(Random r) {
        return WS[r.nextInt(WS.length)];
    }

    private static final byte[] NOISE = {0, 1, 0x1F, (byte) 0x80, (byte) 0xC0, (byte) 0xE0, (byte) 0xED, (byte) 0xF0, (byte) 0xF4,
            (byte) 0xFF, ',', ':', '{', '}', '[', ']', '"', '\\', '0', '1', '-', '+', '.', 'e', 'E', 'a', 't', 'n', 'u', ' ', '/'};

    /** One to three random edits: a byte dropped, inserted or replaced, or the body cut short. */
    private static byte[] mutate(Random r, byte[] b) {
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            byte x = NOISE[r.nextInt(NOISE.length)];
            b = switch (r.nextInt(4)) {
                case 0 -> {
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    yield c;
                }
                case 1 -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = x;
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    yield c;
                }
                case 2 -> {
                    byte[] c = b.clone();
                    c[at] = x;
                    yield c;
                }
                default -> java.util.Arrays.copyOf(b, at);
            };
        }
        return b;
    }
}
