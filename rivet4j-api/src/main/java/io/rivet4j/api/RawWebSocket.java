package io.rivet4j.api;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A raw WebSocket to an actor ({@code handle.webSocket(path)} in the JavaScript client), given to
 * {@link ActorHooks#onWebSocket}. Frames pass through unchanged in both directions; there is no
 * Rivet protocol on it.
 *
 * <p>Listeners run on the actor, one at a time with its actions, in the order the frames
 * arrived. What {@link #send} sends leaves after the turn's state changes are committed, like an
 * action's reply. The socket is one of the actor's connections ({@code c.conns()}) while open,
 * so it keeps the actor awake; when the actor sleeps or is destroyed the socket is closed.
 */
public interface RawWebSocket {
  /** The upgrade request: path after {@code /websocket}, query and headers. */
  Request request();

  /** The connection this socket is ({@code onBeforeConnect} and {@code onConnect} saw it). */
  Conn conn();

  void send(String text);

  void send(byte[] data);

  void send(Message message);

  /** Closes with code 1000. */
  void close();

  /** Closes with {@code code} (1000 or 3000-4999) and a reason of at most 123 UTF-8 bytes. */
  void close(int code, String reason);

  boolean isOpen();

  /** Called for every frame the peer sends. */
  void onMessage(Consumer<Message> listener);

  /** Called once when the socket closed, whichever side closed it. */
  void onClose(CloseListener listener);

  @FunctionalInterface
  interface CloseListener {
    void closed(int code, String reason);
  }

  /** One frame's payload. */
  sealed interface Message {
    record Text(String text) implements Message {}

    /** Not copied: do not modify. */
    record Binary(byte[] data) implements Message {}

    /** Text as is; binary decoded as UTF-8. */
    default String asText() {
      return switch (this) {
        case Text t -> t.text();
        case Binary b -> new String(b.data(), StandardCharsets.UTF_8);
      };
    }
  }
}
