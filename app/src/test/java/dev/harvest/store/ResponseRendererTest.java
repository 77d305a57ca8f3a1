package dev.harvest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.fetch.FailureReason;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * How {@code --records} and {@code --fields} turn one body into rows: the records are reached by
 * streaming, so these pin down that the result is what the pointer means on the whole document.
 */
class ResponseRendererTest {
    private static final String ENVELOPE = """
            {"meta": {"page": 1, "tags": ["a", {"x": [1, 2]}]},
             "data": {"items": [{"id": "a", "score": 0.910, "n": 1e2, "deep": {"k": [true, null]}},
                                {"id": "b", "score": -3, "extra": "ignored"}]},
             "after": "still parsed"}""";

    private static String csv(String records, String fields, String body) throws Exception {
        return render(OutputFormat.CSV, records, fields, body);
    }

    private static String render(OutputFormat format, String records, String fields, String body) throws Exception {
        return render(format, records, fields, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Body mode (no --records, no --fields), the default job. */
    private static String whole(String body) throws Exception {
        return render(OutputFormat.JSONL, null, null, body);
    }

    private static String whole(byte[] body) throws Exception {
        return render(OutputFormat.JSONL, null, null, body);
    }

    private static String render(OutputFormat format, String records, String fields, byte[] body) throws Exception {
        return render("ID1", "application/json", format, records, fields, body);
    }

    private static String render(String id, String contentType, OutputFormat format, String records, String fields, byte[] body) {
        ResponseRenderer r = new ResponseRenderer(format, Projection.parse(records, fields));
        ByteSink sink = new ByteSink();
        Rendered out = r.render(id, 200, body, contentType, sink);
        return switch (out) {
            case Rendered.Rows rows -> rows.count() + " rows\n" + new String(sink.array(), 0, sink.length(), StandardCharsets.UTF_8);
            case Rendered.Rejected rej -> rej.reason().label() + ": " + rej.message();
        };
    }

    @Test
    void recordsInsideAnEnvelopeBecomeRowsWithTheirValuesAsWritten() throws Exception {
        assertEquals("""
                2 rows
                ID1,a,0.910,1e2,"[true,null]"
                ID1,b,-3,,
                """,
                csv("/data/items", "in={id},id=/id,score=/score,n=/n,k=/deep/k", ENVELOPE));
    }

    @Test
    void jsonRowsCarryTheWholeRecordOrTheChosenFields() throws Exception {
        assertEquals("""
                2 rows
                {"id":"ID1","record":{"id":"a","score":0.910,"n":1e2,"deep":{"k":[true,null]}}}
                {"id":"ID1","record":{"id":"b","score":-3,"extra":"ignored"}}
                """, render(OutputFormat.JSONL, "/data/items", null, ENVELOPE));
        assertEquals("""
                2 rows
                {"id":"a","k":[true,null]}
                {"id":"b","k":null}
                """, render(OutputFormat.JSONL, "/data/items", "id=/id,k=/deep/k", ENVELOPE));
    }

    @Test
    void anArrayIndexOnThePathSelectsOneElement() throws Exception {
        assertEquals("""
                2 rows
                {"id":"ID1","record":1}
                {"id":"ID1","record":2}
                """, render(OutputFormat.JSONL, "/meta/tags/1/x", null, ENVELOPE));
    }

    @Test
    void withoutRecordsTheWholeBodyIsOneRow() throws Exception {
        assertEquals("1 rows\nID1,1\n", csv(null, "in={id},page=/meta/page", ENVELOPE));
    }

    @Test
    void aPointerToNothingOrToANonArrayIsNoRecords() throws Exception {
        assertEquals("no_records: no array at /data/missing", csv("/data/missing", "id=/id", ENVELOPE));
        assertEquals("no_records: no array at /data (found object)", csv("/data", "id=/id", ENVELOPE));
        assertEquals("no_records: no array at /after (found string)", csv("/after", "id=/id", ENVELOPE));
        assertEquals("no_records: no array at /meta/tags/7", csv("/meta/tags/7", "id=/id", ENVELOPE));
        assertEquals("no_records: no array at /items", csv("/items", "id=/id", "[1, 2]"));
    }

    @Test
    void anEmptyRecordsArrayIsZeroRows() throws Exception {
        assertEquals("0 rows\n", csv("/items", "id=/id", "{\"items\": []}"));
    }

    @Test
    void aBadBodyIsRejectedEvenWhereNoRecordIsRead() throws Exception {
        // broken after the records, inside a part that is only skipped
        assertEquals(FailureReason.BAD_JSON.label(), label(csv("/data/items", "id=/id", ENVELOPE.replace("\"still parsed\"", "[1,}"))));
        assertEquals("bad_json: unexpected data after the JSON value", csv("/data/items", "id=/id", ENVELOPE + " {}"));
        assertEquals("bad_json: unexpected data after the JSON value", csv(null, "id=/id", "{\"id\": 1} 2"));
        assertEquals(FailureReason.BAD_JSON.label(), label(csv("/data/items", "id=/id", "{\"data\": {\"items\": [{\"id\": 1}")));
    }

    @Test
    void invalidUtf8IsBadJsonAlsoInPartsThatAreOnlySkipped() throws Exception {
        for (String where : new String[] {"{\"skipped\": \"%s\", \"items\": [{\"id\": 1}]}",
                "{\"items\": [{\"id\": 1}], \"after\": [\"%s\"]}", "{\"items\": [{\"id\": \"%s\"}]}",
                "{\"s%s\": 1, \"items\": []}"}) {
            byte[] body = where.getBytes(StandardCharsets.UTF_8);
            String text = new String(body, StandardCharsets.ISO_8859_1).replace("%s", "a\u00ff\u00feb");
            ResponseRenderer r = new ResponseRenderer(OutputFormat.CSV, Projection.parse("/items", "id=/id"));
            Rendered out = r.render("ID1", 200, text.getBytes(StandardCharsets.ISO_8859_1), null, new ByteSink());
            assertEquals(FailureReason.BAD_JSON, out instanceof Rendered.Rejected rej ? rej.reason() : null, where);
        }
    }

    @Test
    void aFieldTwiceOnThePathIsAmbiguousAndRejected() throws Exception {
        assertEquals("bad_json: field 'items' appears twice on the way to /items",
                csv("/items", "id=/id", "{\"items\": [{\"id\": 1}], \"items\": [{\"id\": 2}]}"));
    }

    private static String label(String rendered) {
        return rendered.substring(0, rendered.indexOf(':'));
    }

    // Numbers exactly as the server wrote them: no double (0.12345678901234568, 1.2345678901234567E19,
    // "Infinity"), no BigDecimal (1E+2), no lost sign (-0 became 0).
    private static final String NUMBERS = "[0.1234567890123456789,12345678901234567890.5,-0,1E400,1E2,1e9999999999,"
            + "-1.5e-10,0e+1,-0.0,123456789012345678901234567890]";

    @Test
    void theBodyKeepsEveryNumberAsWritten() throws Exception {
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":" + NUMBERS + "}\n", whole(NUMBERS));
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":{\"n\":1E2,\"m\":[-0]}}\n",
                whole(" {\"n\" :\t1E2 ,\r\n \"m\": [ -0 ] }\n"));
    }

    @Test
    void theBodyKeepsStringsAsWrittenAndDropsOnlyWhitespaceBetweenTokens() throws Exception {
        String body = "{ \"k y\" : \"a \\u00e9 \\\" \\\\ \\/ \u00e9 \ud83d\ude00\" , \"e\" : [ ] , \"t\":true,\"n\" :null }";
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":"
                + "{\"k y\":\"a \\u00e9 \\\" \\\\ \\/ \u00e9 \ud83d\ude00\",\"e\":[],\"t\":true,\"n\":null}}\n", whole(body));
        // a scalar body, a string body
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":-0.0e-0}\n", whole("  -0.0e-0  "));
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":\" x \"}\n", whole("\" x \""));
    }

    @Test
    void csvCellsAndJsonFieldsKeepNumbersAsWritten() throws Exception {
        String body = "{\"items\":[{\"a\":0.1234567890123456789,\"b\":1E2,\"c\":-0,\"d\":1e9999999999,\"e\":1E400,"
                + "\"f\":{\"k\": [1E2, -0, \"s\\u00e9\"]},\"g\":\"x\\u00e9\\\"\"}]}";
        String fields = "a=/a,b=/b,c=/c,d=/d,e=/e,f=/f,g=/g";
        assertEquals("1 rows\n0.1234567890123456789,1E2,-0,1e9999999999,1E400,\"{\"\"k\"\":[1E2,-0,\"\"s\\u00e9\"\"]}\",\"x\u00e9\"\"\"\n",
                csv("/items", fields, body));
        assertEquals("1 rows\n{\"a\":0.1234567890123456789,\"b\":1E2,\"c\":-0,\"d\":1e9999999999,\"e\":1E400,"
                + "\"f\":{\"k\":[1E2,-0,\"s\\u00e9\"]},\"g\":\"x\\u00e9\\\"\"}\n", render(OutputFormat.JSONL, "/items", fields, body));
        assertEquals("1 rows\n{\"id\":\"ID1\",\"record\":{\"a\":0.1234567890123456789,\"b\":1E2,\"c\":-0,\"d\":1e9999999999,"
                + "\"e\":1E400,\"f\":{\"k\":[1E2,-0,\"s\\u00e9\"]},\"g\":\"x\\u00e9\\\"\"}}\n",
                render(OutputFormat.JSONL, "/items", null, body));
        // without --records the whole body is the record, a root-level number included
        assertEquals("1 rows\nID1,1E2\n", csv(null, "in={id},v=/0", "[1E2 ]"));
        assertEquals("2 rows\n{\"id\":\"ID1\",\"record\":1E2}\n{\"id\":\"ID1\",\"record\":-0}\n",
                render(OutputFormat.JSONL, "/x", null, "{\"x\":[1E2 , -0\n]}"));
    }

    @Test
    void aNumberOfThousandsOfDigitsIsKept() throws Exception {
        String digits = "9".repeat(5000);
        String body = "[" + digits + ".5e-" + digits + "]";
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":" + body + "}\n", whole(body));
        assertEquals("1 rows\n" + digits + ".5e-" + digits + "\n", csv(null, "v=/0", body));
    }

    @Test
    void invalidUtf8IsBadJsonInTheBody() throws Exception {
        int[][] sequences = {
            {0xC0, 0xAF}, {0xC1, 0xBF}, {0xE0, 0x80, 0xAF}, {0xF0, 0x80, 0x80, 0xAF}, // overlong
            {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF}, // UTF-8-encoded surrogates
            {0x80}, {0xBF}, // a continuation byte without a lead
            {0xF8, 0x88, 0x80, 0x80, 0x80}, {0xFC, 0x84, 0x80, 0x80, 0x80, 0x80}, // 5- and 6-byte forms
            {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, // above U+10FFFF
            {0xE2, 0x82}, {0xC3}, {0xFE}, {0xFF}, // truncated; never in UTF-8
        };
        for (int[] seq : sequences) {
            for (String where : new String[] {"[\"a%sb\"]", "{\"k%s\": 1}"}) {
                byte[] body = withBytes(where, seq);
                assertEquals(FailureReason.BAD_JSON.label(), label(whole(body)), where + " " + Arrays.toString(seq));
                assertEquals(FailureReason.BAD_JSON.label(), label(render(OutputFormat.CSV, null, "k=/0", body)), where);
            }
        }
        // the highest code point and the last before the surrogates are fine
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":[\"\udbff\udfff\ud7ff\"]}\n", whole("[\"\udbff\udfff\ud7ff\"]"));
    }

    @Test
    void aUtf16OrUtf32BodyOrANulByteIsBadJson() throws Exception {
        for (Charset cs : new Charset[] {StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
                StandardCharsets.UTF_16, Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE")}) {
            String out = whole("{\"a\": [1]}".getBytes(cs));
            assertEquals(FailureReason.BAD_JSON.label(), label(out), cs + ": " + out);
        }
        assertEquals("bad_json: NUL byte at offset 1 (JSON is read as UTF-8; a UTF-16 or UTF-32 body is not)",
                whole(new byte[] {'1', 0}));
        assertEquals(FailureReason.BAD_JSON.label(), label(whole(new byte[] {'[', '"', 0, '"', ']'})));
    }

    @Test
    void aUtf8ByteOrderMarkIsSkippedAndNotCopied() throws Exception {
        byte[] body = withBytes("%s{\"a\": 1E2}", new int[] {0xEF, 0xBB, 0xBF});
        assertEquals(3, body.length - "{\"a\": 1E2}".length());
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":{\"a\":1E2}}\n", whole(body));
        assertEquals("1 rows\n1E2\n", render(OutputFormat.CSV, null, "a=/a", body));
        assertEquals("1 rows\n{\"a\":1E2}\n", render(OutputFormat.JSONL, null, "a=/a", body));
        // only at the start
        assertEquals(FailureReason.BAD_JSON.label(), label(whole(withBytes(" %s{}", new int[] {0xEF, 0xBB, 0xBF}))));
    }

    @Test
    void aBodyOfWhitespaceOrNothingIsNotJson() throws Exception {
        assertEquals("bad_json: no JSON value in the body", whole(" \r\n\t "));
        assertEquals("bad_json: no JSON value in the body", csv(null, "a=/a", " \n"));
        assertEquals(FailureReason.BAD_JSON.label(), label(whole("\f[]"))); // not JSON whitespace
    }

    @Test
    void nestingUpToAThousandLevelsIsReadAndDeeperIsBadJson() throws Exception {
        String ok = "[".repeat(1000) + "]".repeat(1000);
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":" + ok + "}\n", whole(ok));
        String deep = "[".repeat(1001) + "]".repeat(1001);
        assertEquals("bad_json: nested deeper than 1000 levels", whole(deep));
        String hostile = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertEquals(FailureReason.BAD_JSON.label(), label(whole(hostile)));
        assertEquals(FailureReason.BAD_JSON.label(), label(csv("/a", "v=/a", hostile)));
    }

    @Test
    void duplicateKeysAreKeptInTheBodyAndTheLastOneIsPicked() throws Exception {
        String body = "{\"a\":{\"b\":1,\"c\":2},\"a\":{\"c\":3},\"d\":4,\"d\":5}";
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":" + body + "}\n", whole(body));
        // as a tree (or JSON.parse) reads it: the later "a" replaces the earlier one whole
        assertEquals("1 rows\n,3,\"{\"\"c\"\":3}\",5\n", csv(null, "b=/a/b,c=/a/c,a=/a,d=/d", body));
        assertEquals("1 rows\n{\"b\":null,\"c\":3,\"a\":{\"c\":3},\"d\":5}\n", render(OutputFormat.JSONL, null, "b=/a/b,c=/a/c,a=/a,d=/d", body));
    }

    @Test
    void aLoneSurrogateEscapeIsKeptInJsonAndRejectedInCsv() throws Exception {
        String body = "[\"\\ud800x\",\"\\uD83D\\uDE00\"]";
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":" + body + "}\n", whole(body));
        assertEquals("1 rows\n{\"v\":\"\\ud800x\"}\n", render(OutputFormat.JSONL, null, "v=/0", body));
        assertEquals("1 rows\n\ud83d\ude00\n", csv(null, "v=/1", body));
        assertEquals("bad_json: the string at /0 holds a lone surrogate \\uD800, which a UTF-8 CSV file cannot hold",
                csv(null, "v=/0", body));
    }

    @Test
    void aNoContentResponseIsAnEmptyBody() throws Exception {
        ResponseRenderer r = new ResponseRenderer(OutputFormat.JSONL, Projection.none());
        Rendered out = r.render("ID1", 204, new byte[0], null, new ByteSink());
        assertEquals(new Rendered.Rejected(FailureReason.EMPTY_BODY, "HTTP 204 with an empty body"), out);
    }

    @Test
    void valuesAfterMultiByteTextAndAByteOrderMarkKeepTheirBytes() throws Exception {
        String json = "{\"r\": [{\"t\": \"日本 Zoë 😀\", \"n\": -0.50E+3 ,\"o\":{\"k\":\"ü\"}}, 1.50 ,\n\"é\"\t,true ]}";
        byte[] plain = json.getBytes(StandardCharsets.UTF_8);
        byte[] bom = withBytes("%s", new int[] {0xEF, 0xBB, 0xBF});
        byte[] withBom = Arrays.copyOf(bom, bom.length + plain.length);
        System.arraycopy(plain, 0, withBom, bom.length, plain.length);
        for (byte[] body : new byte[][] {plain, withBom}) {
            assertEquals("""
                    4 rows
                    {"id":"ID1","record":{"t":"日本 Zoë 😀","n":-0.50E+3,"o":{"k":"ü"}}}
                    {"id":"ID1","record":1.50}
                    {"id":"ID1","record":"é"}
                    {"id":"ID1","record":true}
                    """, render(OutputFormat.JSONL, "/r", null, body));
            assertEquals("""
                    4 rows
                    日本 Zoë 😀,-0.50E+3,"{""k"":""ü""}"
                    ,,
                    ,,
                    ,,
                    """, render(OutputFormat.CSV, "/r", "t=/t,n=/n,o=/o", body));
            assertEquals("1 rows\n{\"n\":-0.50E+3,\"k\":\"ü\"}\n", render(OutputFormat.JSONL, null, "n=/r/0/n,k=/r/0/o/k", body));
        }
    }

    @Test
    void aNumberEndingTheBodyOrFollowedByWhitespaceIsCopiedWhole() throws Exception {
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":-12.5e-3}\n", whole("-12.5e-3"));
        assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":-12.5e-3}\n", whole(" -12.5e-3 \r\n"));
        assertEquals("1 rows\n{\"id\":\"ID1\",\"record\":7}\n", render(OutputFormat.JSONL, "/a", null, "{\"a\":[7]}"));
        assertEquals("1 rows\n12345678901234567890123\n", csv(null, "v=/v", "{\"v\":12345678901234567890123}"));
    }

    @Test
    void csvCellsAreQuotedOnlyWhereTheyNeedIt() throws Exception {
        String body = "{\"s\": \"a,b\", \"q\": \"say \\\"hi\\\"\", \"nl\": \"x\\ny\", \"e\": {}, \"a\": [], "
                + "\"o\": {\"k\": [1, \"v\"]}, \"u\": \"\\u00e9\\u65e5\\ud83d\\ude00\"}";
        assertEquals("1 rows\n\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",{},[],\"{\"\"k\"\":[1,\"\"v\"\"]}\",é日😀\n",
                csv(null, "s=/s,q=/q,nl=/nl,e=/e,a=/a,o=/o,u=/u", body));
        for (String id : new String[] {"plain-1", "a,b", "q\"x", "Zoë", "tab\there"}) {
            assertEquals("1 rows\n" + Csv.row(id, "1"), render(id, "application/json", OutputFormat.CSV, null, "in={id},v=/v",
                    "{\"v\":1}".getBytes(StandardCharsets.UTF_8)));
            assertEquals("1 rows\n{\"in\":" + JsonBytes.quoted(id) + "}\n", render(id, "application/json", OutputFormat.JSONL,
                    null, "in={id}", "{}".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void theMediaTypeIsComparedWithoutCaseParametersOrSurroundingSpace() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        for (String json : new String[] {"application/json", "Application/JSON; charset=UTF-8", " text/plain ", "text/json;x",
                "application/vnd.api+JSON", "+json", "", " ; charset=utf-8"}) {
            assertEquals("1 rows\n{\"id\":\"ID1\",\"status\":200,\"body\":{}}\n",
                    render("ID1", json, OutputFormat.JSONL, null, null, body), json);
        }
        for (String other : new String[] {"text/html", "application/jsonx", "json", "application/json-patch"}) {
            assertEquals("bad_content_type: Content-Type is " + other + ", not JSON",
                    render("ID1", other, OutputFormat.JSONL, null, null, body), other);
        }
    }

    /** Rendering runs for every body on the one store thread: what it allocates is the run's garbage. */
    @Test
    void renderingAllocatesAboutTheParserPerBodyNotPerRecordOrToken() {
        StringBuilder json = new StringBuilder("{\"data\": [");
        for (int i = 0; i < 50; i++) {
            json.append(i == 0 ? "" : ", ").append("{\"id\": \"c-").append(i).append("\", \"name\": \"Zoë, \\\"Z\\\"\", \"n\": ")
                    .append(i).append(".25, \"o\": {\"k\": [1, 2]}, \"skip\": [true, null, \"x\"]}");
        }
        byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (String[] p : new String[][] {{null, null}, {"/data", null}, {"/data", "in={id},id=/id,name=/name,n=/n,o=/o,k=/o/k/1"}}) {
            for (OutputFormat format : new OutputFormat[] {OutputFormat.JSONL, OutputFormat.CSV}) {
                if (format == OutputFormat.CSV && p[1] == null) {
                    continue;
                }
                ResponseRenderer r = new ResponseRenderer(format, Projection.parse(p[0], p[1]));
                ByteSink sink = new ByteSink();
                r.render("ID1", 200, body, "application/json", sink); // buffers grow once
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100; i++) {
                    sink.reset();
                    r.render("ID1", 200, body, "application/json", sink);
                }
                long perBody = (threads.getCurrentThreadAllocatedBytes() - before) / 100;
                // about 900 bytes: the parser and its context; 50 records must not add to it
                assertTrue(perBody < 3_000, format + " " + Arrays.toString(p) + ": " + perBody + " bytes per body");
            }
        }
    }

    private static byte[] withBytes(String template, int[] seq) {
        byte[] raw = new byte[seq.length];
        for (int i = 0; i < seq.length; i++) {
            raw[i] = (byte) seq[i];
        }
        String latin = new String(raw, StandardCharsets.ISO_8859_1);
        return template.replace("%s", latin).getBytes(StandardCharsets.ISO_8859_1);
    }
}
