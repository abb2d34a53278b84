package dev.switchboard.limits;

import org.junit.jupiter.api.condition.EnabledIf;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same tests against the packaged application (the native executable when built with -Dnative). */
@QuarkusIntegrationTest
@EnabledIf(value = "dev.switchboard.testsupport.RedisServer#installed",
        disabledReason = "redis-server is not installed (apt-get install redis-server; .ci/run installs it)")
class RateLimitRedisIT extends RateLimitRedisTest {
}
