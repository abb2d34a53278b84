package dev.switchboard.api;

import static dev.switchboard.api.ReasoningSplitTest.CHAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
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

/** {@code reasoning=strip}: the client gets the answer without its reasoning, in {@code content} or a field. */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(ReasoningStripTest.Strip.class)
class ReasoningStripTest extends FakeBackendTest {

    public static class Strip implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.backends.default.reasoning", "strip");
        }
    }

    @TestHTTPResource(CHAT)
    URI chat;

    @Test
    void theThinkBlockOfAnAnswerIsRemoved() {
        backend.on("POST", CHAT, Reply.recording("think_none_chat"));
        String answer = ReasoningSplitTest.postChat();
        JsonObject message = ReasoningSplitTest.message(answer);
        assertEquals(ReasoningSplitTest.message(Recording.load("think_deepseek_chat").bodyString()).getString("content"),
                message.getString("content"));
        assertFalse(message.containsKey("reasoning_content"), answer);
        assertFalse(answer.contains("think>"), answer);
    }

    @Test
    void aBackendsReasoningFieldIsRemovedToo() {
        backend.on("POST", CHAT, Reply.recording("think_deepseek_chat"));
        JsonObject message = ReasoningSplitTest.message(ReasoningSplitTest.postChat());
        assertEquals(" making", message.getString("content"));
        assertFalse(message.containsKey("reasoning_content"));
    }

    @Test
    void theThinkBlockOfAStreamIsRemoved() throws Exception {
        for (String recording : List.of("think_none_chat_stream", "think_deepseek_chat_stream")) {
            backend.on("POST", CHAT, Reply.recording(recording));
            List<String> events = ReasoningSplitTest.stream(chat,
                    () -> SseClient.post(chat, Recording.requestBody("reasoning_stream")));
            String[] got = ReasoningSplitTest.deltas(events);
            assertEquals(ReasoningSplitTest.deltas(ReasoningSplitTest.recordedEvents("think_deepseek_chat_stream"))[0],
                    got[0], recording);
            assertEquals("", got[1], recording);
            events.forEach(e -> assertFalse(e.contains("reasoning_content") || e.contains("think>"), e));
        }
    }
}
