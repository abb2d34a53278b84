package dev.switchboard.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts several named {@link FakeBackend}s ({@link FakeBackends}), configures the gateway's named backends, routes
 * and fallback for them ({@link #config}), and hands the set to {@code FakeBackends} fields annotated
 * {@link InjectFakeBackend}. One instance lives as long as the Quarkus app: tests reset it between tests
 * ({@link FakeBackendsTest}).
 */
public abstract class FakeBackendsResource implements QuarkusTestResourceLifecycleManager {

    private FakeBackends fakes;

    /** The started fakes, by name. */
    protected abstract FakeBackends create();

    /** The gateway's config for these fakes. */
    protected abstract Map<String, String> config(FakeBackends fakes);

    @Override
    public Map<String, String> start() {
        fakes = create();
        return config(fakes);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(fakes,
                new TestInjector.AnnotatedAndMatchesType(InjectFakeBackend.class, FakeBackends.class));
    }

    @Override
    public void stop() {
        if (fakes != null) {
            fakes.close();
        }
    }
}
