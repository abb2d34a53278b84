package dev.switchboard.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

class RequestPeekTest {

    private static RequestPeek peek(String json) throws RequestPeek.BadRequest {
        return RequestPeek.of(Buffer.buffer(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String refusal(String json) {
        return assertThrows(RequestPeek.BadRequest.class, () -> peek(json)).getMessage();
    }

    @Test
    void readsModelAndStreamAndSkipsEverythingElse() throws Exception {
        RequestPeek p = peek("{\"messages\":[{\"role\":\"user\",\"content\":\"{\\\"stream\\\":false}\"}],"
                + "\"grammar\":\"root ::= x\",\"model\":\"tiny\",\"stream\":true,\"extra\":{\"stream\":false}}");
        assertEquals("tiny", p.model());
        assertTrue(p.stream());
    }

    @Test
    void streamDefaultsToFalseAndModelToNull() throws Exception {
        RequestPeek p = peek("{\"messages\":[]}");
        assertNull(p.model());
        assertFalse(p.stream());
        assertFalse(peek("{\"stream\":null}").stream());
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        assertTrue(refusal("").contains("empty"));
        assertTrue(refusal("[1,2]").contains("must be a JSON object"));
        assertTrue(refusal("\"text\"").contains("must be a JSON object"));
        assertTrue(refusal("{\"model\":\"tiny\"").contains("not valid JSON"));
        assertTrue(refusal("{\"model\":tiny}").contains("not valid JSON"));
        assertTrue(refusal("{\"a\":1} {\"b\":2}").contains("single JSON object"));
    }

    @Test
    void refusesFieldsOfTheWrongType() {
        assertEquals("'stream' must be a boolean", refusal("{\"stream\":\"yes\"}"));
        assertEquals("'model' must be a string", refusal("{\"model\":42}"));
        assertEquals("'model' must be a string", refusal("{\"model\":{\"id\":\"x\"}}"));
    }
}
