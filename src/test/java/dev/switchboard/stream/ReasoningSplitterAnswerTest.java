package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.json.JsonTrees;
import dev.switchboard.testsupport.Recording;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** JSON answers: llama.cpp with {@code --reasoning-format none}, split, must read like its {@code deepseek} answers. */
class ReasoningSplitterAnswerTest {

    private static Buffer body(String dir, String name) {
        return Buffer.buffer(Recording.load(dir, name).body());
    }

    private static JsonObject json(Buffer body) {
        return (JsonObject) JsonTrees.parse(body.getBytes());
    }

    private static JsonObject message(JsonObject answer) {
        return answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    }

    private static List<String> keys(JsonObject object) {
        return List.copyOf(object.fieldNames());
    }

    @ParameterizedTest
    @ValueSource(strings = {"chat", "unclosed"})
    void noneSplitReadsLikeDeepseek(String name) {
        Buffer none = body("llamacpp", "think_none_" + name);
        JsonObject split = json(new ReasoningSplitter(ReasoningMode.SPLIT).onAnswer(none));
        JsonObject deepseek = message(json(body("llamacpp", "think_deepseek_" + name)));
        assertEquals(deepseek, message(split));
        assertEquals(keys(deepseek), keys(message(split)), "role, content, reasoning_content: llama.cpp's order");
        JsonObject rest = split.copy();
        rest.getJsonArray("choices").getJsonObject(0).remove("message");
        JsonObject original = json(none);
        original.getJsonArray("choices").getJsonObject(0).remove("message");
        assertEquals(original, rest, "everything but the message as the backend sent it");
        assertEquals(keys(original), keys(rest));
    }

    @Test
    void perRequestFormatNoneIsSplitToo() {
        // same prompt and seed as think_deepseek_chat, but the client asked llama.cpp for reasoning_format none
        JsonObject split = json(new ReasoningSplitter(ReasoningMode.SPLIT)
                .onAnswer(body("llamacpp", "think_deepseek_per_request_format_none")));
        assertEquals(message(json(body("llamacpp", "think_deepseek_chat"))), message(split));
    }

    @Test
    void stripDropsTheThinkBlock() {
        JsonObject stripped = json(new ReasoningSplitter(ReasoningMode.STRIP).onAnswer(body("llamacpp", "think_none_chat")));
        assertEquals(new JsonObject().put("role", "assistant").put("content", " making"), message(stripped));
        JsonObject unclosed = json(new ReasoningSplitter(ReasoningMode.STRIP).onAnswer(body("llamacpp", "think_none_unclosed")));
        assertEquals(new JsonObject().put("role", "assistant").put("content", ""), message(unclosed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"think_deepseek_chat", "think_deepseek_unclosed", "think_deepseek_multiturn",
        "think_deepseek_tools_required", "think_deepseek_enable_thinking_false", "think_auto_chat",
        "think_none_tools_required", "think_deepseek_completions", "chat_basic", "completions_basic"})
    void splitLeavesOtherAnswersAlone(String name) {
        Buffer body = body("llamacpp", name);
        assertSame(body, new ReasoningSplitter(ReasoningMode.SPLIT).onAnswer(body));
    }

    @Test
    void completionsTextIsNotSplit() {
        Buffer body = Buffer.buffer("{\"choices\":[{\"text\":\"<think>a</think>b\",\"index\":0,\"finish_reason\":\"stop\"}]}");
        assertSame(body, new ReasoningSplitter(ReasoningMode.SPLIT).onAnswer(body));
        assertSame(body, new ReasoningSplitter(ReasoningMode.STRIP).onAnswer(body));
    }

    @Test
    void glmReasoningIsKeptBySplitAndDroppedByStrip() {
        Buffer glm = body("zen", "chat_glm_reasoning");
        assertSame(glm, new ReasoningSplitter(ReasoningMode.SPLIT).onAnswer(glm));
        JsonObject stripped = json(new ReasoningSplitter(ReasoningMode.STRIP).onAnswer(glm));
        JsonObject expected = json(glm);
        message(expected).remove("reasoning_content");
        assertEquals(expected, stripped);
        assertEquals(List.of("role", "content"), keys(message(stripped)));
    }

    @Test
    void reasoningFieldIsRenamedInPlace() {
        Buffer body = Buffer.buffer("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"reasoning\":\"r\","
                + "\"content\":\"c\"}}]}");
        JsonObject split = message(json(new ReasoningSplitter(ReasoningMode.SPLIT).onAnswer(body)));
        assertEquals(List.of("role", "reasoning_content", "content"), keys(split));
        assertEquals("r", split.getString("reasoning_content"));
        JsonObject stripped = message(json(new ReasoningSplitter(ReasoningMode.STRIP).onAnswer(body)));
        assertEquals(List.of("role", "content"), keys(stripped));
    }

    @Test
    void aDuplicateReasoningBesideReasoningContentGoes() {
        Buffer body = Buffer.buffer("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"reasoning_content\":\"r\",\"reasoning\":\"r\",\"content\":\"<think>x</think>c\"}}]}");
        JsonObject split = message(json(new ReasoningSplitter(ReasoningMode.SPLIT).onAnswer(body)));
        assertEquals(new JsonObject().put("role", "assistant").put("reasoning_content", "r")
                .put("content", "<think>x</think>c"), split, "the backend split itself: its content is all answer");
    }

    @ParameterizedTest
    @EnumSource(value = ReasoningMode.class, names = {"SPLIT", "STRIP"})
    void whatIsNotAChatAnswerPassesAsItIs(ReasoningMode mode) {
        for (String text : List.of("<think>not json", "{\"error\":{\"message\":\"<think>\"}}", "[\"<think>\"]",
                "{\"choices\":\"<think>\"}", "{\"choices\":[{\"message\":\"<think>x</think>\"}]}")) {
            Buffer body = Buffer.buffer(text);
            assertSame(body, new ReasoningSplitter(mode).onAnswer(body), text);
        }
    }

    @Test
    void splitsOrStripsOnly() {
        assertThrows(IllegalArgumentException.class, () -> new ReasoningSplitter(ReasoningMode.PASSTHROUGH));
        ReasoningSplitter splitter = new ReasoningSplitter(ReasoningMode.SPLIT);
        assertTrue(splitter.rewritesAnswers());
        Buffer none = body("llamacpp", "think_none_chat");
        assertNotSame(none, splitter.onAnswer(none));
    }
}
