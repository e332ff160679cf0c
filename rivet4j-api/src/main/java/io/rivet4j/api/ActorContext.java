package io.rivet4j.api;

import java.time.InstantSource;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * What an actor sees of itself: RivetKit's {@code c}. Every method must be called from the
 * actor's own turns (its handlers, hooks, or tasks run on {@link #executor()}).
 *
 * @param <S> the durable state type (a record is the natural choice)
 */
public interface ActorContext<S> {
  String actorId();

  /** The actor type name, e.g. {@code counter}. */
  String name();

  Key key();

  Optional<String> region();

  /**
   * The current state.
   *
   * @throws RivetError {@code actor.state_not_enabled} when the actor declares no state
   */
  S state();

  /** Replaces the state; the change is durable before the current turn's reply leaves. */
  void setState(S state);

  /** Replaces the state with {@code change(state())} and returns the new state. */
  default S updateState(UnaryOperator<S> change) {
    S next = change.apply(state());
    setState(next);
    return next;
  }

  /**
   * Marks the state changed (for state objects mutated in place) and commits it now: returns when
   * the state is on disk.
   */
  void saveState();

  /** Sends {@code payload} to every connection subscribed to {@code event}. */
  <T> void broadcast(Event<T> event, T payload);

  /** Untyped broadcast; RivetKit events carry an argument list. */
  void broadcast(String event, Object... args);

  /** The live connections of this actor. */
  Collection<Conn> conns();

  /** The connection of the current call, if it came over one. */
  Optional<Conn> conn();

  Schedule schedule();

  /** The actor's own SQLite database, created on first use. */
  Database db();

  /** The actor's key-value store. */
  Kv kv();

  /** The actor's durable queue. */
  Queue queue();

  /** A client for calling other actors (and this one) from inside an actor. */
  ActorClient client();

  /** Asks the runtime to put this actor to sleep once the current turn ends (idempotent). */
  void sleep();

  /**
   * Destroys this actor once the current turn ends: {@code onDestroy} runs, then all its data is
   * deleted and its key is free again.
   */
  void destroy();

  /** Keeps the actor awake until {@code work} completes; returns {@code work}. */
  <T> CompletionStage<T> keepAwake(CompletionStage<T> work);

  /**
   * Runs tasks as turns of this actor, one at a time with its other turns. Continue
   * {@code CompletionStage}s on it ({@code thenApplyAsync(fn, c.executor())}) to touch state.
   */
  Executor executor();

  /** True once the actor started to sleep or be destroyed (RivetKit's {@code c.aborted}). */
  boolean aborted();

  System.Logger log();

  InstantSource clock();
}
