package dev.switchboard.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts a {@link FakeBackend} answering like llama-server and points the gateway at it.
 * Fields annotated {@link InjectFakeBackend} receive the fake; tests should call
 * {@link FakeBackend#reset()} between tests since the instance lives as long as the Quarkus app.
 */
public class FakeLlamaCppResource implements QuarkusTestResourceLifecycleManager {

    private FakeBackend backend;

    @Override
    public Map<String, String> start() {
        backend = FakeBackend.llamaCpp();
        return Map.of("switchboard.backend.url", backend.baseUrl() + "/v1");
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
