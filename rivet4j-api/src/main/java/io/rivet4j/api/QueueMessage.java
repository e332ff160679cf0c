package io.rivet4j.api;

import java.time.Instant;

/** A queue message: its id (from 1, increasing, durable), queue name, body and creation time. */
public interface QueueMessage {
  long id();

  /** The queue's name. */
  String name();

  /** The body as sent. */
  Value body();

  /** The body as {@code type} (see {@link Value#as}). */
  default <T> T body(Class<T> type) {
    return body().as(type);
  }

  Instant createdAt();

  /** True when it was received through {@link Queue#completable()}. */
  boolean completable();

  /**
   * Completes a completable message: deletes it with the current turn's changes and hands
   * {@code response} to a sender waiting for it ({@code send(..., wait)}).
   *
   * @throws RivetError {@code queue.already_completed} on a second call, {@code
   *     queue.complete_not_configured} when the message is not completable
   */
  void complete(Object response);

  /** {@link #complete(Object)} without a response. */
  default void complete() {
    complete(null);
  }
}
