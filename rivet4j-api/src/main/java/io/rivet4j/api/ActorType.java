package io.rivet4j.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the actor type of a contract interface, e.g. {@code @ActorType("counter")}. The name is
 * what RivetKit clients use ({@code client.counter.getOrCreate(...)}); at most 64 characters.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ActorType {
  String value();
}
