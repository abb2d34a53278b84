package dev.switchboard.gguf;

import static dev.switchboard.gguf.GgufWriter.STRING;
import static dev.switchboard.gguf.GgufWriter.U32;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@code switchboard.models.dir}: the GGUF files of a folder appear in {@code /v1/models} with their header's facts. */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(GgufModelListTest.ModelsDir.class)
class GgufModelListTest extends FakeBackendTest {

    public static class ModelsDir implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("switchboard-gguf");
                new GgufWriter().kv("general.architecture", STRING, "qwen3").kv("qwen3.context_length", U32, 40960)
                        .kv("tokenizer.chat_template", STRING, "{{ messages }}").tensor("w", 4, 8)
                        .write(dir.resolve("qwen3-8b-q4.gguf"));
                Files.write(dir.resolve("broken.gguf"), "GGUF but not really".getBytes());
                Files.write(dir.resolve("notes.txt"), "not a model".getBytes());
                return Map.of("switchboard.models.dir", dir.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void theFolderModelsAreListedBesideTheBackendsOwnWithTheirHeaderFacts() {
        given().get("/v1/models").then().statusCode(200)
                .body("data.id", hasItems("tiny-qwen25-tools", "qwen3-8b-q4"))
                .body("data.id", not(hasItem("broken")))
                .body("data.find { it.id == 'qwen3-8b-q4' }.backend", equalTo("default"))
                .body("data.find { it.id == 'qwen3-8b-q4' }.gguf.architecture", equalTo("qwen3"))
                .body("data.find { it.id == 'qwen3-8b-q4' }.gguf.context_length", equalTo(40960))
                .body("data.find { it.id == 'qwen3-8b-q4' }.gguf.parameter_count", equalTo(32))
                .body("data.find { it.id == 'qwen3-8b-q4' }.gguf.chat_template", equalTo(true));
    }

    @Test
    void oneFolderModelById() {
        given().get("/v1/models/qwen3-8b-q4").then().statusCode(200).body("gguf.architecture", equalTo("qwen3"));
    }
}
