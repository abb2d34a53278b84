package dev.switchboard.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link RedisServer} for as long as the Quarkus app lives, points the gateway's rate limits at it
 * ({@code switchboard.limits.redis-url}) and hands it to fields annotated {@link InjectRedisServer}. Test classes
 * using it carry {@code @EnabledIf} on {@link RedisServer#installed()}, so that they are skipped, saying why, where
 * {@code redis-server} is missing (CI installs it: {@code .ci/run}).
 */
public class RedisServerResource implements QuarkusTestResourceLifecycleManager {

    private RedisServer server;

    @Override
    public Map<String, String> start() {
        server = RedisServer.start();
        return Map.of("switchboard.limits.redis-url", server.url());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectRedisServer.class, RedisServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
