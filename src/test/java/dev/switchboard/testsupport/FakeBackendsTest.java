package dev.switchboard.testsupport;

import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that talk to several named fakes (a {@link FakeBackendsResource} attached with
 * {@code @WithTestResource}): the set is injected here and reset before every test.
 */
public abstract class FakeBackendsTest {

    @InjectFakeBackend
    protected FakeBackends fakes;

    @BeforeEach
    void resetBackends() {
        fakes.reset();
    }

    protected FakeBackend fake(String name) {
        return fakes.get(name);
    }
}
