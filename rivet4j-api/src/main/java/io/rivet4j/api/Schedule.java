package io.rivet4j.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable one-shot schedules of an actor ({@code c.schedule()}). A schedule survives sleep and
 * restart; a sleeping actor is woken to run it; an overdue one fires once when the actor starts.
 * Delivery is at most once: the schedule is removed durably before its action runs, and a failed
 * action is logged, not retried. Creating a schedule is durable before the current action replies.
 */
public interface Schedule {
  /** Runs {@code action(args…)} after {@code delay}; returns the schedule id (UUID v4). */
  String after(Duration delay, String action, Object... args);

  /** Runs {@code action(args…)} at {@code at}; returns the schedule id (UUID v4). */
  String at(Instant at, String action, Object... args);

  /** Cancels a pending schedule; false when there is none with that id. */
  boolean cancel(String id);

  Optional<ScheduledEvent> get(String id);

  /** Pending schedules ordered by time. */
  List<ScheduledEvent> list();
}
