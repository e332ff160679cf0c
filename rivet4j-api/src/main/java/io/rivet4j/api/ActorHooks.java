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

  /**
   * A raw HTTP request to {@code /request/*} ({@code handle.fetch(path)} in the JavaScript
   * client). As RivetKit, a connection exists for the request: {@link #onBeforeConnect} (params
   * from the {@code x-rivet-conn-params} header) and {@link #onConnect} run first, and
   * {@code c.conn()} is that connection. It runs on the actor like an action, within the action
   * timeout, and state changes are committed before the response leaves. An actor that does not
   * override it answers 404 with an empty body, without running the connect hooks.
   */
  default Response onRequest(Request request) {
    return Response.status(404);
  }

  /**
   * A raw WebSocket opened on {@code /websocket/*} ({@code handle.webSocket(path)}): register
   * listeners and send; the socket is a connection (connect hooks ran, params from the
   * {@code rivet_conn_params.*} subprotocol). As in RivetKit, an actor that does not override it
   * still accepts such sockets and drops their frames until the peer closes.
   */
  default void onWebSocket(RawWebSocket socket) {}
}
