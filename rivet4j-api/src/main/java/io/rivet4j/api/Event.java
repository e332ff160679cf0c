package io.rivet4j.api;

import java.util.Objects;

/**
 * A typed event an actor broadcasts: {@code Event<Long> NEW_COUNT = Event.of("newCount", Long.class)}.
 * The name is what clients subscribe to with {@code conn.on("newCount", …)}.
 */
public record Event<T>(String name, Class<T> type) {
  public Event {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("event name must not be empty");
    }
  }

  public static <T> Event<T> of(String name, Class<T> type) {
    return new Event<>(name, type);
  }
}
