package dev.switchboard.testsupport;

import java.util.Map;

/**
 * A {@link FakeBackend} answering like the cloud provider (OpenCode Zen) under /zen/v1. Zen has no health endpoint,
 * so the gateway's readiness probe is switched off, as a user would.
 */
public class FakeZenResource extends FakeBackendResource {

    @Override
    FakeBackend create() {
        return FakeBackend.zen();
    }

    @Override
    Map<String, String> config(FakeBackend backend) {
        return Map.of(
                "switchboard.backend.url", backend.baseUrl() + "/zen/v1",
                "switchboard.backend.health.enabled", "false",
                "switchboard.models.ttl", "0s");
    }
}
