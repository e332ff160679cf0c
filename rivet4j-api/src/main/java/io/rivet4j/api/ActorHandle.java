package io.rivet4j.api;

import java.util.concurrent.CompletionStage;

/**
 * An untyped reference to one actor. Stateless: every call resolves the actor again (by key, or
 * by id for {@code getForId}/{@code create} handles), as RivetKit's handles do.
 */
public interface ActorHandle {
  /** The actor id; creates the actor first for {@code getOrCreate} handles. */
  String resolve();

  /** Calls {@code action(args…)} and converts the output to {@code resultType}. */
  <R> R action(String action, Class<R> resultType, Object... args);

  <R> CompletionStage<R> actionAsync(String action, Class<R> resultType, Object... args);

  /**
   * Sends a message to the actor's queue {@code name} ({@code POST …/queue/<name>}); returns
   * once it is stored. A name the actor does not declare is acknowledged and dropped, as RivetKit
   * does.
   */
  default QueueSendResult send(String name, Object body) {
    return send(name, body, SendOptions.NO_WAIT);
  }

  /**
   * Sends a message; with {@link SendOptions#waiting} waits until a consumer completes
   * it ({@code completed} with its response) or the timeout passes ({@code timedOut}).
   */
  QueueSendResult send(String name, Object body, SendOptions options);

  /** A typed view of this handle through a contract interface annotated with {@link ActorType}. */
  <T> T as(Class<T> contract);
}
