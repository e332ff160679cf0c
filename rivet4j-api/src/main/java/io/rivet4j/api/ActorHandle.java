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

  /** A typed view of this handle through a contract interface annotated with {@link ActorType}. */
  <T> T as(Class<T> contract);
}
