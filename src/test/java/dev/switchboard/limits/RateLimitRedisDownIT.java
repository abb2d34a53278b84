package dev.switchboard.limits;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same test against the packaged application (the native executable when built with -Dnative). */
@QuarkusIntegrationTest
class RateLimitRedisDownIT extends RateLimitRedisDownTest {
}
