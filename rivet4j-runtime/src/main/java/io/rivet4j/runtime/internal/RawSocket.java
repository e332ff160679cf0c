package io.rivet4j.runtime.internal;

import io.rivet4j.api.Conn;
import io.rivet4j.api.RawWebSocket;
import io.rivet4j.api.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The actor's side of a raw WebSocket ({@code /websocket/*}). The transport (the server's
 * socket) sends frames and closes; the runtime calls the listeners as turns of the actor.
 *
 * <p>Concurrency: the listener lists and the close record are touched by the actor's turns only
 * (registration happens in {@code onWebSocket} and in listeners). {@link #send} and
 * {@link #close} queue their effect as an output of the running turn, released after its
 * commit, so they must be called from the actor's turns, as every other context method.
 * {@code open} is volatile because the transport reads it.
 */
public final class RawSocket implements RawWebSocket {
  /** What the server provides: the socket itself. Called after the turn's commit. */
  public interface Transport {
    void send(Message message);

    void close(int code, String reason);
  }

  private final Request request;
  private final Transport transport;
  final LocalConn conn;
  private final List<Consumer<Message>> messageListeners = new ArrayList<>(1);
  private final List<CloseListener> closeListeners = new ArrayList<>(1);
  private volatile boolean open = true;
  private volatile int closeCode = 1006; // written by the actor until a side closes
  private volatile String closeReason = "";
  private boolean closeFired;

  public RawSocket(Object params, Request request, Transport transport) {
    this.request = request;
    this.transport = transport;
    this.conn = new LocalConn(params, new LocalConn.Sink() {
      @Override
      public void event(String name, List<Object> args) {
        // RivetKit: conn.send only reaches actor-connect connections; logged, not thrown
        org.slf4j.LoggerFactory.getLogger(RawSocket.class).warn(
            "event '{}' not sent: connection {} is a raw WebSocket (send frames with"
                + " socket.send instead)", name, conn.id());
      }

      @Override
      public void closed(String reason) {
        closeTransport();
      }
    }, false, this);
  }

  @Override
  public Request request() {
    return request;
  }

  @Override
  public Conn conn() {
    return conn;
  }

  @Override
  public void send(String text) {
    send(new Message.Text(text));
  }

  @Override
  public void send(byte[] data) {
    send(new Message.Binary(data));
  }

  @Override
  public void send(Message message) {
    java.util.Objects.requireNonNull(message, "message");
    ActorCell c = cell();
    if (!open) {
      return; // as a browser WebSocket: frames sent after close are dropped
    }
    c.queueOutput(() -> transport.send(message));
  }

  @Override
  public void close() {
    close(1000, "");
  }

  @Override
  public void close(int code, String reason) {
    if (code != 1000 && (code < 3000 || code > 4999) && code != 1011 && code != 1001) {
      throw new IllegalArgumentException("close code must be 1000, 1001, 1011 or 3000-4999, was "
          + code);
    }
    String r = reason == null ? "" : reason;
    if (r.getBytes(StandardCharsets.UTF_8).length > 123) {
      throw new IllegalArgumentException("close reason must be at most 123 UTF-8 bytes");
    }
    ActorCell c = cell();
    if (!open) {
      return;
    }
    closedBy(code, r);
    c.queueOutput(() -> transport.close(code, r));
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void onMessage(Consumer<Message> listener) {
    messageListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void onClose(CloseListener listener) {
    closeListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  private ActorCell cell() {
    ActorCell c = conn.cell;
    if (c == null || ActorCell.current() != c) {
      throw new IllegalStateException("a raw WebSocket is used from the actor's own turns only"
          + " (onWebSocket, its listeners, actions); use c.executor() from other threads");
    }
    return c;
  }

  /** Records who closed first. */
  void closedBy(int code, String reason) {
    if (open) {
      open = false;
      closeCode = code;
      closeReason = reason;
    }
  }

  /** Closes the transport with the recorded code (after the turn's commit). */
  void closeTransport() {
    transport.close(closeCode, closeReason);
  }

  void fireMessage(Message m, org.slf4j.Logger log, String actorId) {
    for (Consumer<Message> l : List.copyOf(messageListeners)) {
      try {
        l.accept(m);
      } catch (Throwable e) {
        log.error("actor {}: a raw WebSocket message listener failed", actorId, e);
      }
    }
  }

  void fireClose(org.slf4j.Logger log, String actorId) {
    open = false;
    if (closeFired) {
      return;
    }
    closeFired = true;
    for (CloseListener l : List.copyOf(closeListeners)) {
      try {
        l.closed(closeCode, closeReason);
      } catch (Throwable e) {
        log.error("actor {}: a raw WebSocket close listener failed", actorId, e);
      }
    }
  }
}
