package dev.switchboard.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts a {@link FakeBackend} answering like the cloud provider (OpenCode Zen) under /zen/v1 and
 * points the gateway at it. Zen has no health endpoint, so the gateway's health polling is turned off.
 */
public class FakeZenResource implements QuarkusTestResourceLifecycleManager {

    private FakeBackend backend;

    @Override
    public Map<String, String> start() {
        backend = FakeBackend.zen();
        return Map.of(
                "switchboard.backend.url", backend.baseUrl() + "/zen/v1",
                "switchboard.backend.health.enabled", "false");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(backend,
                new TestInjector.AnnotatedAndMatchesType(InjectFakeBackend.class, FakeBackend.class));
    }

    @Override
    public void stop() {
        if (backend != null) {
            backend.close();
        }
    }
}
