package dev.switchboard.routing;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same tests against the packaged application (the native executable when built with -Dnative). */
@QuarkusIntegrationTest
class RoutingIT extends RoutingTest {
}
