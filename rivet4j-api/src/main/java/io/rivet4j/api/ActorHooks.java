package io.rivet4j.api;

import java.util.List;

/**
 * Lifecycle hooks an actor implementation may override (RivetKit's names and order). An instance
 * is built on every start (create and wake), so its fields are RivetKit's {@code vars}.
 *
 * <p>Start: {@code createState} → {@code onCreate} (first creation only, on the definition) →
 * constructor → {@link #onWake()}. Stop: {@link #onSleep()} or {@link #onDestroy()}.
 */
public interface ActorHooks<S> {
  /** Every start, before any action or connection is processed. */
  default void onWake() {}

  /** Before the actor sleeps; state is saved right after. */
  default void onSleep() {}

  /** Before the actor's data is deleted. */
  default void onDestroy() {}

  /** After a turn changed the state, before its reply; changing state here is an error. */
  default void onStateChange(S newState) {}

  /** Transforms an action's output before it is sent (also for scheduled actions). */
  default Object onBeforeActionResponse(String action, List<Object> args, Object output) {
    return output;
  }

  /** Before a connection exists; throw (e.g. a {@link UserError}) to reject it. */
  default void onBeforeConnect(Value params) {}

  /** The state of a new connection; {@code null} for none. Throw to reject. */
  default Object createConnState(Value params) {
    return null;
  }

  /** The connection is already in {@code c.conns()}; throwing removes it and fails the connect. */
  default void onConnect(Conn conn) {}

  /** After the connection was removed from {@code c.conns()}. */
  default void onDisconnect(Conn conn) {}
}
