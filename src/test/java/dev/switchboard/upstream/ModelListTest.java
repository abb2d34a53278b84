package dev.switchboard.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ModelListTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode normalised(String body) throws Exception {
        return MAPPER.readTree(ModelList.parse(body.getBytes(StandardCharsets.UTF_8)).orElseThrow().toJson());
    }

    @Test
    void llamaCppObjectKeepsOnlyTheOpenAiListAndItsExtraFields() throws Exception {
        JsonNode list = normalised("{\"models\":[{\"name\":\"m\",\"model\":\"m\"}],\"object\":\"list\","
                + "\"data\":[{\"id\":\"m\",\"object\":\"model\",\"created\":5,\"owned_by\":\"llamacpp\",\"meta\":{\"n_ctx_train\":4096}}]}");
        assertEquals("list", list.get("object").asText());
        assertTrue(list.path("models").isMissingNode());
        assertEquals(1, list.get("data").size());
        assertEquals(4096, list.at("/data/0/meta/n_ctx_train").asInt());
        assertEquals("llamacpp", list.at("/data/0/owned_by").asText());
    }

    @Test
    void bareArrayAndOllamaListGetTheRequiredFields() throws Exception {
        JsonNode bare = normalised("[{\"id\":\"a\"},\"b\"]");
        assertEquals("a", bare.at("/data/0/id").asText());
        assertEquals("b", bare.at("/data/1/id").asText());
        for (JsonNode m : bare.get("data")) {
            assertEquals("model", m.get("object").asText());
            assertTrue(m.get("created").isNumber());
            assertTrue(m.get("owned_by").isTextual());
        }
        assertEquals("qwen", normalised("{\"models\":[{\"name\":\"qwen\"}]}").at("/data/0/id").asText());
    }

    @Test
    void somethingElseIsNoModelList() {
        assertTrue(ModelList.parse("{\"error\":1}".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(ModelList.parse("<html>".getBytes(StandardCharsets.UTF_8)).isEmpty());
    }
}
