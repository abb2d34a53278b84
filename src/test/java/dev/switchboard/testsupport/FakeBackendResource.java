package dev.switchboard.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link FakeBackend}, points the gateway at it with the config {@link #start()} returns, and hands the fake
 * to fields annotated {@link InjectFakeBackend}. One instance lives as long as the Quarkus app: tests reset it
 * between tests ({@link FakeBackendTest}).
 */
abstract class FakeBackendResource implements QuarkusTestResourceLifecycleManager {

    private FakeBackend backend;

    /** A started fake. */
    abstract FakeBackend create();

    /** The gateway's config for this fake. */
    abstract Map<String, String> config(FakeBackend backend);

    @Override
    public Map<String, String> start() {
        backend = create();
        return config(backend);
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
