package dev.switchboard.testsupport;

import java.util.Map;

/** A {@link FakeBackend} answering like llama-server, at the gateway's backend URL. */
public class FakeLlamaCppResource extends FakeBackendResource {

    @Override
    FakeBackend create() {
        return FakeBackend.llamaCpp();
    }

    @Override
    Map<String, String> config(FakeBackend backend) {
        // no model-list cache: tests change the fake's list between tests
        return Map.of("switchboard.backend.url", backend.baseUrl() + "/v1", "switchboard.models.ttl", "0s");
    }
}
