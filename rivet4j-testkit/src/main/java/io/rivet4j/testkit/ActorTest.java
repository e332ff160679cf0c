package io.rivet4j.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class with {@link RivetExtension}: each test gets a fresh {@link TestRegistry}
 * (and its {@link ManualClock}) as parameters. The registry comes from a static no-argument
 * method of the test class returning {@code io.rivet4j.runtime.Registry}, named
 * {@code registry} unless {@link #registry()} names another.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RivetExtension.class)
public @interface ActorTest {
  /** The static method that builds the registry. */
  String registry() default "registry";
}
