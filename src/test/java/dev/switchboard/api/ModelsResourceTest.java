package dev.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.Reply;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
class ModelsResourceTest extends FakeBackendTest {

    @Test
    void llamaCppListComesBackInOpenAiShapeWithItsExtraFields() {
        given().get("/v1/models").then().statusCode(200)
                .contentType("application/json")
                .body("object", equalTo("list"))
                .body("models", nullValue())
                .body("data", hasSize(1))
                .body("data[0].id", equalTo("tiny-qwen25-tools"))
                .body("data[0].object", equalTo("model"))
                .body("data[0].owned_by", equalTo("llamacpp"))
                .body("data[0].created", equalTo(1795948980))
                .body("data[0].meta.n_ctx_train", equalTo(4096));
    }

    @Test
    void bareArrayBecomesAnOpenAiList() {
        backend.on("GET", "/v1/models", Reply.status(200, "application/json", "[{\"id\":\"a\"},{\"id\":\"b\",\"owned_by\":\"me\"}]"));
        given().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", org.hamcrest.Matchers.contains("a", "b"))
                .body("data[0].object", equalTo("model"))
                .body("data[0].owned_by", equalTo("unknown"))
                .body("data[1].owned_by", equalTo("me"));
    }

    @Test
    void oneModelById() {
        given().get("/v1/models/tiny-qwen25-tools").then().statusCode(200)
                .body("id", equalTo("tiny-qwen25-tools"))
                .body("meta.n_params", equalTo(6515904));
    }

    @Test
    void unknownModelIs404ModelNotFound() {
        given().get("/v1/models/nope").then().statusCode(404)
                .body("error.type", equalTo("not_found_error"))
                .body("error.code", equalTo("model_not_found"));
    }

    @Test
    void backendErrorOnTheListKeepsItsStatus() {
        backend.on("GET", "/v1/models", Reply.recording("health_loading_503"));
        given().get("/v1/models").then().statusCode(503)
                .body("error.message", equalTo("Loading model"));
    }

    @Test
    void unreadableListIs502() {
        backend.on("GET", "/v1/models", Reply.status(200, "text/html", "<html>hi</html>"));
        given().get("/v1/models").then().statusCode(502).body("error.code", equalTo("backend_bad_response"));
    }
}
