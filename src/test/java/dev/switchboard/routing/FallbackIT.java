package dev.switchboard.routing;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same tests against the packaged application; its log lines are not visible from here. */
@QuarkusIntegrationTest
class FallbackIT extends FallbackTest {

    @Override
    protected boolean seesLogs() {
        return false;
    }
}
