package dev.switchboard.testsupport;

import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that talk to a {@link FakeBackend} (attached with {@code @WithTestResource} on the test class):
 * the fake is injected here and reset before every test, since one fake serves every test of a Quarkus app.
 */
public abstract class FakeBackendTest {

    @InjectFakeBackend
    protected FakeBackend backend;

    @BeforeEach
    void resetBackend() {
        backend.reset();
    }
}
