package io.rivet4j.api;

import java.util.Optional;

/**
 * A client connection to an actor: a WebSocket from {@code .connect()}, the throw-away connection
 * of a stateless HTTP action, or an in-process connection.
 */
public interface Conn {
  /** UUID v4 string. */
  String id();

  /** The connection params the client sent ({@code null} value when none). */
  Value params();

  /** The state {@code createConnState} returned, if any. */
  Optional<Object> state();

  <T> T state(Class<T> type);

  void setState(Object state);

  /** Sends an event to this connection only, subscribed or not. */
  <T> void send(Event<T> event, T payload);

  void send(String event, Object... args);

  /** Closes the connection (WebSocket close 1000 with {@code reason}) and runs {@code onDisconnect}. */
  void disconnect(String reason);
}
