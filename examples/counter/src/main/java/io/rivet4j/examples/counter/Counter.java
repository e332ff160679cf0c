package io.rivet4j.examples.counter;

import io.rivet4j.api.ActorType;
import io.rivet4j.api.Event;

/** The counter's contract, shared by the actor and its callers. */
@ActorType("counter")
public interface Counter {
  Event<Long> NEW_COUNT = Event.of("newCount", Long.class);

  /** Adds {@code amount} (≥ 0) and broadcasts the new count; user error {@code invalid_amount} otherwise. */
  long increment(long amount);

  long getCount();

  /** Schedules {@code increment(amount)} after {@code delayMs}; returns the schedule id. */
  String incrementLater(long delayMs, long amount);

  /** Calls served since this actor last woke (a var: not persisted). */
  long callsSinceWake();

  /** The count divided by {@code periods}; a bug for 0 (it surfaces as an internal error). */
  long average(long periods);

  /** Deletes this counter; its key is free again. */
  void destroy();
}
