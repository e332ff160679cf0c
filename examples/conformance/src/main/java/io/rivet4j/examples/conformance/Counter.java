package io.rivet4j.examples.conformance;

import io.rivet4j.api.ActorType;
import io.rivet4j.api.Event;

/**
 * The conformance {@code counter} (spec/conformance-actors.md §2): one JavaScript number per key.
 * Numbers are doubles, as in RivetKit; integral values travel as integers on the wire.
 */
@ActorType("counter")
public interface Counter {
  /** Broadcast after every increment with the new count. */
  Event<Double> NEW_COUNT = Event.of("newCount", Double.class);

  /**
   * {@code count += amount}, broadcasts {@code newCount(count)}, returns the count. An argument
   * that is not a number is rejected with {@code actor.validation_error} and changes nothing.
   */
  double increment(double amount);

  double getCount();
}
