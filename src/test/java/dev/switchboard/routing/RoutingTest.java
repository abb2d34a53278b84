package dev.switchboard.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackends;
import dev.switchboard.testsupport.FakeBackendsResource;
import dev.switchboard.testsupport.FakeBackendsTest;
import dev.switchboard.testsupport.RecordedRequest;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import dev.switchboard.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Routing by model over named backends: {@code local} (llama.cpp), {@code zen} (cloud, with a key and an extra
 * header) and {@code gone} (nothing listens). Routes (aliases, one with a dot in its id), the {@code <backend>/<model>}
 * prefix, the backends' model lists, no default route (so an unknown model is a 404), and the models union.
 */
@QuarkusTest
@WithTestResource(RoutingTest.Backends.class)
class RoutingTest extends FakeBackendsTest {

    static final String LOCAL_CHAT = "/v1/chat/completions";
    static final String ZEN_CHAT = "/zen/v1/chat/completions";
    static final String LOCAL_MODEL = "tiny-qwen25-tools";
    static final List<String> ZEN_MODELS = List.of("glm-5.1", "glm-5.2", "kimi-k2.5", "big-pickle");

    public static class Backends extends FakeBackendsResource {
        @Override
        protected FakeBackends create() {
            return new FakeBackends().llamaCpp("local").zen("zen");
        }

        @Override
        protected Map<String, String> config(FakeBackends fakes) {
            return Map.ofEntries(
                    Map.entry("switchboard.backends.local.url", fakes.get("local").baseUrl() + "/v1"),
                    Map.entry("switchboard.backends.zen.url", fakes.get("zen").baseUrl() + "/zen/v1"),
                    Map.entry("switchboard.backends.zen.type", "openai"),
                    Map.entry("switchboard.backends.zen.api-key", "zen-key"),
                    Map.entry("switchboard.backends.zen.headers.x-team", "blue"),
                    Map.entry("switchboard.backends.zen.health.timeout", "500ms"), // its model list's too
                    Map.entry("switchboard.backends.gone.url", FakeBackends.refusedUrl() + "/v1"),
                    Map.entry("switchboard.backends.gone.type", "openai"),
                    Map.entry("switchboard.routes.fast.to", "local/" + LOCAL_MODEL + ",zen/glm-5.1"),
                    Map.entry("switchboard.routes.\"qwen2.5\".to", "local/" + LOCAL_MODEL),
                    Map.entry("switchboard.routes.cloud.to", "zen"),
                    Map.entry("switchboard.default-route", "none"),
                    Map.entry("switchboard.models.ttl", "0s"));
        }
    }

    @TestHTTPResource("/v1/chat/completions")
    URI chat;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] postChat(byte[] body, int status) {
        return given().body(body).contentType("application/json").post("/v1/chat/completions")
                .then().statusCode(status).extract().asByteArray();
    }

    private void assertNoPostReachedABackend() {
        fakes.all().forEach((name, fake) -> assertTrue(
                fake.requests().stream().noneMatch(r -> r.method().equals("POST")), name + " got " + fake.requests()));
    }

    @Test
    void aModelOneBackendListsGoesThereAsSentWithThatBackendsKeyAndHeaders() {
        byte[] body = bytes("{\"model\":\"kimi-k2.5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        given().body(body).contentType("application/json").header("Authorization", "Bearer client-key")
                .post("/v1/chat/completions").then().statusCode(200);
        RecordedRequest atZen = fake("zen").lastRequest("POST", ZEN_CHAT);
        assertArrayEquals(body, atZen.body());
        assertEquals("Bearer zen-key", atZen.header("Authorization"));
        assertEquals("blue", atZen.header("x-team"));
        assertEquals(List.of(), fake("local").requests("POST", LOCAL_CHAT));

        byte[] local = bytes("{\"model\":\"" + LOCAL_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        given().body(local).contentType("application/json").header("Authorization", "Bearer client-key")
                .post("/v1/chat/completions").then().statusCode(200);
        RecordedRequest atLocal = fake("local").lastRequest("POST", LOCAL_CHAT);
        assertArrayEquals(local, atLocal.body());
        assertEquals("Bearer client-key", atLocal.header("Authorization")); // no key configured: the client's passes
        assertNull(atLocal.header("x-team"));
        assertEquals(1, fake("zen").requests("POST", ZEN_CHAT).size());
    }

    @Test
    void anAliasRewritesOnlyTheModelValueInTheBodyTheBackendReceives() {
        // odd spacing, non-ASCII before the model (byte offsets differ from char offsets), the alias in the content too
        String sent = "{ \"messages\" : [ {\"role\":\"user\",\"content\":\"h\u00e9llo \\\"fast\\\" \u4f60\u597d\"} ],\n"
                + "  \"model\" :\t\"fast\" , \"max_tokens\":5, \"stop\":[\"fast\"] }";
        byte[] answer = postChat(bytes(sent), 200);
        String expected = sent.replace("\"model\" :\t\"fast\"", "\"model\" :\t\"" + LOCAL_MODEL + "\"");
        assertArrayEquals(bytes(expected), fake("local").lastRequest("POST", LOCAL_CHAT).body());
        assertArrayEquals(Recording.load("chat_basic").body(), answer);
        assertEquals(List.of(), fake("zen").requests("POST", ZEN_CHAT));

        // an id with a dot, quoted in the config key
        String dotted = "{\"model\":\"qwen2.5\",\"messages\":[]}";
        postChat(bytes(dotted), 200);
        assertEquals("{\"model\":\"" + LOCAL_MODEL + "\",\"messages\":[]}",
                fake("local").lastRequest("POST", LOCAL_CHAT).bodyString());

        // completions and embeddings are routed alike
        given().body("{\"model\":\"fast\",\"prompt\":\"x\"}").contentType("application/json").post("/v1/completions")
                .then().statusCode(200);
        assertEquals("{\"model\":\"" + LOCAL_MODEL + "\",\"prompt\":\"x\"}",
                fake("local").lastRequest("POST", "/v1/completions").bodyString());
        given().body("{\"input\":\"x\",\"model\":\"qwen2.5\"}").contentType("application/json").post("/v1/embeddings")
                .then().statusCode(200);
        assertEquals("{\"input\":\"x\",\"model\":\"" + LOCAL_MODEL + "\"}",
                fake("local").lastRequest("POST", "/v1/embeddings").bodyString());
    }

    @Test
    void anAliasedStreamIsRewrittenAndRelayedWhole() throws Exception {
        // asking for usage itself, so the gateway has nothing to add to the body for its own accounting
        String sent = "{\"stream\":true,\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":42,"
                + "\"stream_options\":{\"include_usage\":true}}";
        try (SseClient client = SseClient.post(chat, bytes(sent), "Content-Type", "application/json")) {
            assertEquals(200, client.response().statusCode());
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            client.readAll().forEach(all::writeBytes);
            assertArrayEquals(Recording.load("chat_stream").body(), all.toByteArray());
        }
        assertEquals(sent.replace("\"fast\"", "\"" + LOCAL_MODEL + "\""),
                fake("local").lastRequest("POST", LOCAL_CHAT).bodyString());
    }

    @Test
    void aRouteToABackendWithoutAModelSendsTheBodyAsItCame() {
        byte[] body = bytes("{\"model\":\"cloud\",\"messages\":[]}");
        postChat(body, 200);
        assertArrayEquals(body, fake("zen").lastRequest("POST", ZEN_CHAT).body());
    }

    @Test
    void theBackendPrefixSelectsTheBackendAndIsRemoved() {
        String sent = "{\"messages\":[{\"role\":\"user\",\"content\":\"zen/glm-5.2\"}], \"model\": \"zen/glm-5.2\", \"n\":1}";
        postChat(bytes(sent), 200);
        assertEquals(sent.replace("\"model\": \"zen/glm-5.2\"", "\"model\": \"glm-5.2\""),
                fake("zen").lastRequest("POST", ZEN_CHAT).bodyString());

        // the model part may hold slashes itself, need not be listed anywhere, and the slash may come escaped
        postChat(bytes("{\"model\":\"local/org/any-model\",\"messages\":[]}"), 200);
        assertEquals("{\"model\":\"org/any-model\",\"messages\":[]}", fake("local").lastRequest("POST", LOCAL_CHAT).bodyString());
        postChat(bytes("{\"model\":\"zen\\/big-pickle\",\"messages\":[]}"), 200);
        assertEquals("{\"model\":\"big-pickle\",\"messages\":[]}", fake("zen").lastRequest("POST", ZEN_CHAT).bodyString());
    }

    @Test
    void aModelNoBackendServesIs404ModelNotFoundAndReachesNoBackend() {
        for (String body : new String[] {
                "{\"model\":\"no-such-model\",\"messages\":[]}",
                "{\"model\":\"no-such-model\",\"messages\":[],\"stream\":true}",
                "{\"model\":\"nowhere/glm-5.1\",\"messages\":[]}", // not a backend's name: not a prefix
                "{\"messages\":[]}"}) { // no model, no default route
            given().body(body).contentType("application/json").post("/v1/chat/completions").then()
                    .statusCode(404)
                    .contentType("application/json")
                    .body("error.type", equalTo("not_found_error"))
                    .body("error.code", equalTo("model_not_found"))
                    .body("error.message", not(equalTo(null)));
        }
        given().body("{\"model\":\"no-such-model\",\"prompt\":\"x\"}").contentType("application/json")
                .post("/v1/completions").then().statusCode(404).body("error.code", equalTo("model_not_found"));
        given().body("{\"model\":\"no-such-model\",\"input\":\"x\"}").contentType("application/json")
                .post("/v1/embeddings").then().statusCode(404).body("error.code", equalTo("model_not_found"));
        assertNoPostReachedABackend();
    }

    @Test
    void theModelListIsTheUnionOfEveryBackendsEachIdOnceWithTheAliases() {
        // local lists one of zen's models too: it is listed once
        fake("local").on("GET", "/v1/models", Reply.status(200, "application/json",
                "{\"object\":\"list\",\"data\":[{\"id\":\"" + LOCAL_MODEL + "\",\"object\":\"model\",\"owned_by\":\"llamacpp\"},"
                        + "{\"id\":\"glm-5.1\",\"object\":\"model\",\"owned_by\":\"llamacpp\"}]}"));
        given().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", containsInAnyOrder(LOCAL_MODEL, "glm-5.1", "glm-5.2", "kimi-k2.5", "big-pickle",
                        "fast", "qwen2.5", "cloud"))
                .body("data.find { it.id == 'fast' }.route", contains("local/" + LOCAL_MODEL, "zen/glm-5.1"))
                .body("data.find { it.id == 'kimi-k2.5' }.owned_by", equalTo("opencode"));
        given().get("/v1/models/qwen2.5").then().statusCode(200).body("route", contains("local/" + LOCAL_MODEL));
    }

    @Test
    void aBackendThatIsDownIsLeftOutOfTheModelList() {
        // gone is never reachable; now zen fails too: local's models and the aliases are still served
        fake("zen").on("GET", "/zen/v1/models", Reply.status(500, "application/json", "{\"error\":\"boom\"}"));
        given().get("/v1/models").then().statusCode(200)
                .body("data.id", containsInAnyOrder(LOCAL_MODEL, "fast", "qwen2.5", "cloud"));
        assertEquals(1, fake("zen").requests("GET", "/zen/v1/models").size());

        fakes.reset();
        given().get("/v1/models").then().statusCode(200).body("data.id", hasItem("glm-5.1"));
    }

    @Test
    void aBackendThatHangsIsLeftOutOfTheModelListInTime() {
        fake("zen").on("GET", "/zen/v1/models", Reply.hold());
        long start = System.nanoTime();
        given().get("/v1/models").then().statusCode(200)
                .body("data.id", containsInAnyOrder(LOCAL_MODEL, "fast", "qwen2.5", "cloud"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 5_000, "the list took " + tookMs + " ms");
    }

    @Test
    void aModelNewInABackendsListIsRoutedThere() {
        fake("local").on("GET", "/v1/models", Reply.status(200, "application/json",
                "{\"object\":\"list\",\"data\":[{\"id\":\"fresh-model\",\"object\":\"model\",\"owned_by\":\"llamacpp\"}]}"));
        given().get("/v1/models").then().statusCode(200).body("data.id", hasItem("fresh-model"));
        byte[] body = bytes("{\"model\":\"fresh-model\",\"messages\":[]}");
        postChat(body, 200);
        assertArrayEquals(body, fake("local").lastRequest("POST", LOCAL_CHAT).body());
        assertEquals(List.of(), fake("zen").requests("POST", ZEN_CHAT));
    }
}
