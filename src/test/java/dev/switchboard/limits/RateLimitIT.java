package dev.switchboard.limits;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same tests against the packaged application (the native executable when built with -Dnative). */
@QuarkusIntegrationTest
class RateLimitIT extends RateLimitTest {
}
