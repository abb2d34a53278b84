package dev.switchboard.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link FakeBackend} field of a test class; {@link FakeLlamaCppResource} or
 * {@link FakeZenResource} puts its running fake there. On a {@link FakeBackends} field, a
 * {@link FakeBackendsResource} puts its set of named fakes there.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectFakeBackend {
}
