package dev.harvest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.harvest.fetch.FailureReason;
import java.nio.charset.StandardCharsets;
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
        ResponseRenderer r = new ResponseRenderer(format, Projection.parse(records, fields));
        ByteSink sink = new ByteSink();
        ResponseRenderer.Rendered out = r.render("ID1", 200, body.getBytes(StandardCharsets.UTF_8), "application/json", sink);
        return switch (out) {
            case ResponseRenderer.Rows rows -> rows.count() + " rows\n" + new String(sink.array(), 0, sink.length(), StandardCharsets.UTF_8);
            case ResponseRenderer.Rejected rej -> rej.reason().label() + ": " + rej.message();
        };
    }

    @Test
    void recordsInsideAnEnvelopeBecomeRowsWithTheirValuesAsWritten() throws Exception {
        assertEquals("""
                2 rows
                ID1,a,0.910,1E+2,"[true,null]"
                ID1,b,-3,,
                """,
                csv("/data/items", "in={id},id=/id,score=/score,n=/n,k=/deep/k", ENVELOPE));
    }

    @Test
    void jsonRowsCarryTheWholeRecordOrTheChosenFields() throws Exception {
        assertEquals("""
                2 rows
                {"id":"ID1","record":{"id":"a","score":0.910,"n":1E+2,"deep":{"k":[true,null]}}}
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
            ResponseRenderer.Rendered out = r.render("ID1", 200, text.getBytes(StandardCharsets.ISO_8859_1), null, new ByteSink());
            assertEquals(FailureReason.BAD_JSON, out instanceof ResponseRenderer.Rejected rej ? rej.reason() : null, where);
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
}
