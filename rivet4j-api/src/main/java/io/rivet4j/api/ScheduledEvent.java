package io.rivet4j.api;

import java.time.Instant;
import java.util.List;

/** A pending one-shot schedule: run {@code action(args…)} at {@code at}. */
public record ScheduledEvent(String id, Instant at, String action, List<Object> args) {
  public ScheduledEvent {
    args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
  }
}
