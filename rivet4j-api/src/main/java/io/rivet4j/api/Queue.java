package io.rivet4j.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The actor's durable queue ({@code c.queue()}), as RivetKit's {@code c.queue}: named messages
 * kept in the actor's storage, received in FIFO order (by id) and optionally filtered by name
 * (no names means every queue).
 *
 * <p>Writes belong to the current turn, like {@link Kv} writes: a send or a receive commits
 * atomically with the turn's state change. A plain receive deletes the message as it is taken
 * (at most once); a receive through {@link #completable()} leaves it stored until
 * {@link QueueMessage#complete} (after a restart an uncompleted message is delivered again).
 *
 * <p>Messages of queues that the definition gives a consumer handler ({@code
 * Actor.queue(name, type, handler)}) are delivered to that handler only; receives here skip
 * them.
 *
 * <p>Limits (actor options): at most {@code maxQueueSize} messages ({@code queue.full}), bodies
 * of at most {@code maxQueueMessageSize} bytes once encoded ({@code queue.message_too_large}).
 */
public interface Queue {
  /**
   * Adds a message; it is durable before the current turn's reply leaves.
   *
   * @throws RivetError {@code queue.full}, {@code queue.message_too_large}, or {@code
   *     actor.validation_error} when {@code body} cannot be serialized
   */
  QueueMessage send(String name, Object body);

  /** The oldest message of the named queues (any queue for none), if there is one now. */
  Optional<QueueMessage> tryNext(String... names);

  /** Up to {@code count} of the oldest messages of the named queues, oldest first. */
  List<QueueMessage> tryNextBatch(int count, String... names);

  /**
   * The oldest message of the named queues, waiting up to {@code timeout} for one to arrive
   * (empty when none did). The stage completes in a turn of this actor, so continuations may use
   * the state. Waiting does not keep the actor awake; when it starts to sleep the stage fails
   * with {@code actor.aborted}.
   */
  CompletionStage<Optional<QueueMessage>> next(Duration timeout, String... names);

  /**
   * This queue with completable receives: a received message stays stored (and is hidden from
   * other receives of this generation) until its {@link QueueMessage#complete} call. Receiving
   * again before completing fails with {@code queue.previous_message_not_completed}.
   */
  Queue completable();

  /** Number of stored messages, including received completable ones not yet completed. */
  int size();
}
