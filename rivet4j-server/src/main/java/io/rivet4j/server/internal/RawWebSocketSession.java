package io.rivet4j.server.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.rivet4j.api.RawWebSocket.Message;
import io.rivet4j.api.Request;
import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.internal.RawSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One raw WebSocket ({@code GET …/websocket/*}, client-protocol.md §6.2): frames pass between the
 * peer and the actor's {@code onWebSocket} listeners unchanged, text as text and binary as
 * binary.
 *
 * <p>Concurrency: as {@link WebSocketBase}; {@code lock} also guards {@code early} (frames read
 * while the actor runs its connect hooks), {@code pending} and {@code paused}. The actor's
 * released outputs call the {@link RawSocket.Transport} methods from its threads.
 *
 * <p>Lifecycle: OPENING (upgraded; resolving, connect hooks, {@code onWebSocket}) → OPEN →
 * CLOSED. The runtime hears of the close exactly once ({@code released}), with the code and
 * reason of the side that closed first.
 *
 * <p>Backpressure: frames handed to the actor but not yet handled above
 * {@code maxInflightPerConnection} pause reading until half of them are handled; the outbound
 * policy is the base class's.
 */
final class RawWebSocketSession extends WebSocketBase implements RawSocket.Transport {
  private final Object params;
  private final Request request;
  private List<Message> early = new ArrayList<>(); // [lock]
  private int pending; // [lock]
  private boolean paused; // [lock]
  private boolean released; // [lock]
  private volatile RawSocket socket;
  private volatile ResolvedActor actor;

  RawWebSocketSession(ServerContext s, Channel ch, GatewayTarget target, Object params,
      Request request, RivetError rejection) {
    super(s, ch, target, rejection);
    this.params = params;
    this.request = request;
  }

  @Override
  void open(ResolvedActor a) {
    actor = a;
    RawSocket sock = new RawSocket(params, request, this);
    socket = sock;
    s.node.openSocket(a.actorId(), a.name(), sock).whenComplete((v, err) -> {
      if (err != null) {
        closeWith(1011, Failures.closeReason(Failures.forCaller(err, "onWebSocket"), null));
        return;
      }
      List<Message> held;
      synchronized (lock) {
        if (phase != OPENING) {
          return;
        }
        phase = OPEN;
        held = early;
        early = null;
      }
      for (Message m : held) {
        deliver(sock, m);
      }
    });
  }

  // ---------------------------------------------------------------- inbound

  @Override
  void message(byte[] bytes, boolean text) {
    Message m = text ? new Message.Text(new String(bytes, StandardCharsets.UTF_8))
        : new Message.Binary(bytes);
    RawSocket sock;
    synchronized (lock) {
      switch (phase) {
        case OPENING -> {
          early.add(m);
          countIn();
          return;
        }
        case OPEN -> countIn();
        default -> {
          return;
        }
      }
      sock = socket;
    }
    s.node.socketMessage(sock, m, this::handled);
  }

  /** A frame read while opening was counted when it was read. */
  private void deliver(RawSocket sock, Message m) {
    s.node.socketMessage(sock, m, this::handled);
  }

  /** Under {@code lock}: one more frame on its way to the actor. */
  private void countIn() {
    pending++;
    if (pending >= s.config.maxInflightPerConnection() && !paused) {
      paused = true;
      ch.config().setAutoRead(false);
    }
  }

  /** The actor handled a frame (any thread). */
  private void handled() {
    boolean resume = false;
    synchronized (lock) {
      pending--;
      if (paused && pending <= s.config.maxInflightPerConnection() / 2) {
        paused = false;
        resume = true;
      }
    }
    if (resume) {
      ch.eventLoop().execute(() -> ch.config().setAutoRead(true));
    }
  }

  // ---------------------------------------------------------------- RawSocket.Transport

  @Override
  public void send(Message message) {
    synchronized (lock) {
      if (phase == CLOSED) {
        return;
      }
      writeFrame(switch (message) {
        case Message.Text t -> new io.netty.handler.codec.http.websocketx.TextWebSocketFrame(
            t.text());
        case Message.Binary b -> new io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame(
            Unpooled.wrappedBuffer(b.data()));
      });
    }
  }

  @Override
  public void close(int code, String reason) {
    closeWith(code, reason);
  }

  // ---------------------------------------------------------------- closing

  @Override
  void released(int code, String reason) {
    RawSocket sock;
    synchronized (lock) {
      if (released) {
        return;
      }
      released = true;
      early = null;
      sock = socket;
    }
    if (sock != null) {
      s.node.socketClosed(sock, code, reason);
    }
  }

  @Override
  String actorId() {
    ResolvedActor a = actor;
    return a == null ? "-" : a.actorId();
  }
}
