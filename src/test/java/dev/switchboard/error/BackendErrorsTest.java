package dev.switchboard.error;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class BackendErrorsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void openAiShapedBodiesPassUnchanged() {
        byte[] llama = bytes("{\"error\":{\"code\":400,\"message\":\"too long\",\"type\":\"exceed_context_size_error\",\"n_ctx\":1024}}");
        assertArrayEquals(llama, BackendErrors.normalise(400, llama));
    }

    @Test
    void cloudEnvelopeBecomesOpenAiKeepingMessageAndType() throws Exception {
        JsonNode out = MAPPER.readTree(BackendErrors.normalise(401,
                bytes("{\"type\": \"error\", \"error\": {\"type\": \"AuthError\", \"message\": \"Invalid API key.\"}}")));
        assertEquals("Invalid API key.", out.at("/error/message").asText());
        assertEquals("AuthError", out.at("/error/type").asText());
        assertTrue(out.at("/error/param").isNull());
        assertTrue(out.at("/error").has("code"));
        assertTrue(out.path("type").isMissingNode());
    }

    @Test
    void nonJsonBodiesAreWrapped() throws Exception {
        JsonNode out = MAPPER.readTree(BackendErrors.normalise(502, bytes("<html><h1>502 Bad Gateway</h1></html>")));
        assertEquals("server_error", out.at("/error/type").asText());
        assertTrue(out.at("/error/message").asText().contains("502 Bad Gateway"));
    }
}
