package dev.switchboard.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;

import dev.switchboard.testsupport.FakeBackend;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.InjectFakeBackend;
import dev.switchboard.testsupport.Reply;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The official OpenAI Java SDK pointed at Switchboard, in front of a llama.cpp that answers from the recordings. */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
class OpenAiSdkTest {

    @InjectFakeBackend
    FakeBackend backend;

    @TestHTTPResource("/v1")
    URL v1;

    private OpenAIClient client;

    @BeforeEach
    void connect() {
        backend.reset();
        client = OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey("sk-client").maxRetries(0).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static ChatCompletionCreateParams.Builder chat() {
        return ChatCompletionCreateParams.builder().model("tiny").addUserMessage("Say hello in one short sentence.");
    }

    @Test
    void chatCompletion() {
        ChatCompletion completion = client.chat().completions().create(chat().build());
        assertEquals("tiny-qwen25-tools", completion.model());
        assertFalse(completion.choices().get(0).message().content().orElseThrow().isEmpty());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
        assertEquals("Bearer sk-client", backend.lastRequest("POST", "/v1/chat/completions").header("Authorization"));
    }

    @Test
    void streamedChat() {
        String text;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat().build())) {
            text = stream.stream()
                    .flatMap(chunk -> chunk.choices().stream())
                    .map(choice -> choice.delta().content().orElse(""))
                    .collect(Collectors.joining());
        }
        assertEquals(" Appears casingation forbMistanka apostlesintelligence 422 Reach", text);
        assertTrue(backend.lastRequest("POST", "/v1/chat/completions").bodyString().contains("\"stream\":true"));
    }

    @Test
    void toolCall() {
        backend.on("POST", "/v1/chat/completions", Reply.recording("chat_tools_required"));
        ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder().name("get_weather")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object")).build())
                        .build())
                .build();
        ChatCompletion completion = client.chat().completions().create(chat().addTool(weather).build());
        List<ChatCompletionMessageToolCall> calls = completion.choices().get(0).message().toolCalls().orElseThrow();
        assertEquals(1, calls.size());
        assertEquals("get_weather", calls.get(0).asFunction().function().name());
        assertTrue(calls.get(0).asFunction().function().arguments().contains("city"));
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, completion.choices().get(0).finishReason());
    }

    @Test
    void embeddings() {
        CreateEmbeddingResponse response = client.embeddings().create(
                EmbeddingCreateParams.builder().model("tiny").input("The quick brown fox")
                        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        assertEquals(64, response.data().get(0).embedding().size());
        assertEquals("The quick brown fox",
                backend.lastRequest("POST", "/v1/embeddings").bodyJson().getString("input"));
    }

    @Test
    void modelList() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertEquals(List.of("tiny-qwen25-tools"), ids);
    }
}
