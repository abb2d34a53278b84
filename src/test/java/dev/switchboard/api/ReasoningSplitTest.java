package dev.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import dev.switchboard.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * {@code reasoning=split} on the one backend (BACKEND_URL alone names it {@code default}): llama.cpp without a
 * reasoning format ({@code think_none_*}) sends the think block in {@code content}; the client gets it as
 * {@code reasoning_content}, as llama.cpp itself does with {@code --reasoning-format deepseek} ({@code think_deepseek_*}).
 */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(ReasoningSplitTest.Split.class)
class ReasoningSplitTest extends FakeBackendTest {

    static final String CHAT = "/v1/chat/completions";

    public static class Split implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.backends.default.reasoning", "split");
        }
    }

    @TestHTTPResource(CHAT)
    URI chat;

    static JsonObject message(String answer) {
        return new JsonObject(answer).getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    }

    static String postChat() {
        return given().body(Recording.requestBody("reasoning_basic")).contentType("application/json").post(CHAT)
                .then().statusCode(200).extract().asString();
    }

    /** The events a client gets for a stream request, the backend answering with {@code recording}. */
    static List<String> stream(URI chat, SseClientFactory post) throws Exception {
        try (SseClient client = post.open()) {
            return client.readAll().stream().map(e -> new String(e, StandardCharsets.UTF_8)).toList();
        }
    }

    interface SseClientFactory {
        SseClient open() throws Exception;
    }

    /** Joins a field of every delta of a stream: {@code [content, reasoning_content]}. */
    static String[] deltas(List<String> events) {
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        for (String event : events) {
            String data = event.substring("data: ".length()).trim();
            if (data.equals("[DONE]")) {
                continue;
            }
            JsonObject delta = new JsonObject(data).getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
            if (delta.getValue("content") instanceof String c) {
                content.append(c);
            }
            if (delta.getValue("reasoning_content") instanceof String r) {
                reasoning.append(r);
            }
        }
        return new String[] {content.toString(), reasoning.toString()};
    }

    static List<String> recordedEvents(String name) {
        return Recording.load(name).events().stream().map(e -> new String(e, StandardCharsets.UTF_8)).toList();
    }

    List<String> streamOf(String recording) throws Exception {
        backend.on("POST", CHAT, Reply.recording(recording));
        return stream(chat, () -> SseClient.post(chat, Recording.requestBody("reasoning_stream")));
    }

    @Test
    void theThinkBlockOfAnAnswerBecomesReasoningContent() {
        backend.on("POST", CHAT, Reply.recording("think_none_chat"));
        JsonObject got = new JsonObject(postChat());
        JsonObject deepseek = message(Recording.load("think_deepseek_chat").bodyString());

        JsonObject message = got.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        assertEquals(deepseek.getString("content"), message.getString("content"));
        assertEquals(deepseek.getString("reasoning_content"), message.getString("reasoning_content"));
        // everything but the message as llama.cpp sent it
        JsonObject sent = new JsonObject(Recording.load("think_none_chat").bodyString());
        got.getJsonArray("choices").getJsonObject(0).remove("message");
        sent.getJsonArray("choices").getJsonObject(0).remove("message");
        assertEquals(sent, got);
    }

    @Test
    void theThinkBlockOfAStreamBecomesReasoningContentDeltas() throws Exception {
        List<String> events = streamOf("think_none_chat_stream");
        String[] split = deltas(events);
        String[] deepseek = deltas(recordedEvents("think_deepseek_chat_stream"));

        assertEquals(deepseek[0], split[0], "content");
        assertEquals(deepseek[1], split[1], "reasoning_content");
        assertEquals(recordedEvents("think_none_chat_stream").size(), events.size(), "the same events, rewritten");
        events.forEach(e -> assertFalse(e.contains("<think>") || e.contains("</think>"), e));
        assertEquals("data: [DONE]\n\n", events.get(events.size() - 1));
    }

    @Test
    void aToolCallStreamPassesByteForByte() throws Exception {
        List<String> events = streamOf("think_none_tools_required_stream");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        events.forEach(e -> all.writeBytes(e.getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(Recording.load("think_none_tools_required_stream").body(), all.toByteArray());
    }

    @Test
    void anAnswerWithoutThinkingPassesByteForByte() {
        backend.on("POST", CHAT, Reply.recording("chat_basic"));
        assertEquals(Recording.load("chat_basic").bodyString(), postChat());
    }
}
