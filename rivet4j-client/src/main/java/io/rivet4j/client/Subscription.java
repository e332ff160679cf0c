package io.rivet4j.client;

/** A registered listener; {@link #close()} removes it. Idempotent. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  /** Removes the listener; for the last listener of an event, unsubscribes from it. */
  @Override
  void close();
}
