package dev.harvest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Pins the Jackson convention {@link JsonBytes#tokenStart} relies on to avoid a {@code
 * JsonLocation} per token: if an upgrade changes how the byte parser counts, this says so before
 * any value is copied from the wrong offset.
 */
class JsonBytesTest {
    @Test
    void tokenStartsAndValueEndsAreWhereJacksonsLocationsSayInUtf8WithOrWithoutAByteOrderMark() throws Exception {
        String json = " {\"日本\": [\"Zoë \\\"😀\\\"\", -0.5E+3 , 1, true,false, null, {}, [ ]],\n\"é\":\"\\u00e9\",\"n\":12345678901234567890} ";
        byte[] plain = json.getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[plain.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(plain, 0, bom, 3, plain.length);
        for (byte[] body : new byte[][] {plain, bom}) {
            int values = 0;
            try (JsonParser p = new JsonFactory().createParser(body)) {
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t == JsonToken.FIELD_NAME || t.isStructEnd()) {
                        continue;
                    }
                    int start = JsonBytes.tokenStart(p);
                    assertEquals(p.currentTokenLocation().getByteOffset(), start, t + " at " + start);
                    if (t.isScalarValue()) {
                        p.finishToken();
                        String text = new String(body, start, JsonBytes.valueEnd(p, body, start) - start, StandardCharsets.UTF_8);
                        // a string's slice is its whole literal: parsed alone, the same text
                        assertEquals(p.getText(), t == JsonToken.VALUE_STRING ? parsedString(text) : text, t.toString());
                    }
                    values++;
                }
            }
            assertEquals(12, values);
        }
    }

    private static String parsedString(String literal) throws Exception {
        try (JsonParser p = new JsonFactory().createParser(literal)) {
            assertEquals(JsonToken.VALUE_STRING, p.nextToken(), literal);
            String text = p.getText();
            assertEquals(null, p.nextToken(), literal);
            return text;
        }
    }
}
