package io.rivet4j.server.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.rivet4j.api.RivetError;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;
import io.rivet4j.runtime.internal.LocalConn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * One actor-connect WebSocket ({@code GET …/connect}, client-protocol.md §5): Init first, then
 * actions, subscriptions and events, in the encoding the client chose.
 *
 * <p>Concurrency: Netty calls the handler methods on the channel's event loop. The actor's
 * threads call the {@link LocalConn.Sink} methods and complete action futures; those paths
 * encode, then queue the write as an event-loop task under {@code lock}, so frames leave in the
 * order their writers took the lock, whatever thread wrote them. {@code lock} guards
 * {@code phase}, the events held back until Init, the backlog of inbound messages, the lane flag
 * and the in-flight count, so that Init precedes every event and inbound messages reach the
 * actor in the order they were read (FIFO start order).
 *
 * <p>Lifecycle: OPENING (upgraded; resolving the actor and running its connect hooks; inbound
 * messages wait in the backlog, events in {@code early}) → OPEN (Init sent) → CLOSED (closing or
 * closed; the runtime connection is disconnected exactly once, whichever side closed). When the
 * actor closes the connection while actions of it are in flight (an action that kicks its own
 * caller), the close frame follows their replies.
 *
 * <p>Threads: an inbound message is handed to the actor on the event loop when that cannot block
 * (the actor is awake and nothing is queued before it); otherwise it joins the backlog, which a
 * "lane" (one task on the blocking executor at a time) drains in order.
 *
 * <p>Backpressure: messages read but not yet answered above {@code maxInflightPerConnection}
 * pause reading from the socket until half of them are answered. A peer whose outbound buffer
 * stays above the high-water mark for {@code slowConsumerTimeout}, or exceeds
 * {@code maxBufferedOutbound}, is dropped. A peer silent for {@code webSocketIdleTimeout} (pongs
 * to the server's pings count) is dropped.
 */
final class WebSocketSession extends WebSocketBase implements LocalConn.Sink {
  private static final int MAX_EARLY_EVENTS = 1024;

  private final Encoding encoding;
  private final ProtocolCodec codec;
  private final Object params;

  private List<byte[]> early = new ArrayList<>(); // [lock] events before Init
  private final ArrayDeque<ToServer> backlog = new ArrayDeque<>(); // [lock]
  private boolean laneRunning; // [lock]
  private int pending; // [lock] backlog + actions in flight
  private boolean paused; // [lock] reading paused for backpressure
  private boolean disconnected; // [lock]
  private String closeRequested; // [lock] the actor closed us while replies were in flight
  private volatile ResolvedActor actor;
  private volatile LocalConn conn;

  WebSocketSession(ServerContext s, Channel ch, Encoding encoding, Object params,
      GatewayTarget target, RivetError rejection) {
    super(s, ch, target, rejection);
    this.encoding = encoding;
    this.codec = ProtocolCodec.of(encoding);
    this.params = params;
  }

  // ---------------------------------------------------------------- opening

  @Override
  void open(ResolvedActor a) {
    actor = a;
    CompletableFuture<LocalConn> opened;
    try {
      opened = s.node.connect(a.actorId(), a.name(), params, this);
    } catch (Throwable t) {
      opened = CompletableFuture.failedFuture(t);
    }
    opened.whenComplete((c, err) -> {
      if (err != null) {
        rejected(Failures.forCaller(err, "connect"));
        return;
      }
      boolean startLane = false;
      boolean closed;
      synchronized (lock) {
        conn = c;
        closed = phase == CLOSED;
        if (!closed) {
          phase = OPEN; // before the writes: a write over the outbound cap closes
          write(codec.encode(new ToClient.Init(a.actorId(), c.id())));
          for (byte[] event : early) {
            write(event);
          }
          early = null;
          if (!backlog.isEmpty() && !laneRunning) {
            laneRunning = true;
            startLane = true;
          }
        }
      }
      if (closed) {
        disconnectRuntime();
        return;
      }
      if (startLane) {
        s.blocking.execute(this::lane);
      }
    });
  }

  /**
   * The connect hooks refused (or the actor vanished): as the reference, a connection-level
   * Error (no action id) and close 1011 {@code group.code}; lifecycle errors close only.
   */
  private void rejected(RivetError e) {
    boolean lifecycle = e.group().equals("actor") && (e.code().equals("not_found")
        || e.code().equals("destroying") || e.code().equals("stopping"));
    if (!lifecycle) {
      send(new ToClient.Error(e.group(), e.code(), e.getMessage(), e.metadata(),
          OptionalLong.empty(), Optional.empty()));
    }
    closeWith(1011, Failures.closeReason(e, null));
  }

  // ---------------------------------------------------------------- inbound

  @Override
  void message(byte[] bytes, boolean text) {
    if (bytes.length > s.config.maxIncomingMessageSize()) {
      closeWith(1011, Failures.incomingTooLong().qualifiedCode());
      return;
    }
    ToServer m;
    try {
      m = codec.decodeToServer(bytes);
    } catch (RivetError e) {
      Failures.LOG.debug("WebSocket message does not decode ({}): {}", encoding.wireName(),
          e.getMessage());
      closeWith(1011, "actor.invalid_request");
      return;
    }
    boolean inline = false;
    boolean startLane = false;
    synchronized (lock) {
      if (phase == CLOSED) {
        return;
      }
      pending++;
      boolean queue = phase == OPENING || laneRunning || !backlog.isEmpty()
          || (m instanceof ToServer.ActionRequest && !s.node.isAwake(actor.actorId()));
      if (queue) {
        backlog.add(m);
        if (phase == OPEN && !laneRunning) {
          laneRunning = true;
          startLane = true;
        }
      } else {
        inline = true;
      }
      if (pending >= s.config.maxInflightPerConnection() && !paused) {
        paused = true;
        ch.config().setAutoRead(false);
      }
    }
    if (startLane) {
      s.blocking.execute(this::lane);
    }
    if (inline) {
      dispatch(m);
    }
  }

  /** Drains the backlog in order; may block (waking a sleeping actor). */
  private void lane() {
    for (;;) {
      ToServer m;
      synchronized (lock) {
        m = backlog.poll();
        if (m == null || phase == CLOSED) {
          laneRunning = false;
          backlog.clear();
          return;
        }
      }
      dispatch(m);
    }
  }

  private void dispatch(ToServer m) {
    ResolvedActor a = actor;
    switch (m) {
      case ToServer.SubscriptionRequest r -> {
        s.node.subscribe(conn, r.eventName(), r.subscribe());
        answered();
      }
      case ToServer.ActionRequest r -> {
        CompletableFuture<Object> reply;
        try {
          reply = s.node.call(a.actorId(), a.name(), r.name(), r.args(), conn);
        } catch (Throwable t) {
          reply = CompletableFuture.failedFuture(t);
        }
        reply.whenComplete((output, error) -> {
          reply(a, r, output, error);
          answered();
        });
      }
    }
  }

  private void answered() {
    boolean resume = false;
    String close = null;
    synchronized (lock) {
      pending--;
      if (paused && pending <= s.config.maxInflightPerConnection() / 2) {
        paused = false;
        resume = true;
      }
      if (pending == 0 && closeRequested != null) {
        close = closeRequested;
        closeRequested = null;
      }
    }
    if (resume) {
      ch.eventLoop().execute(() -> ch.config().setAutoRead(true));
    }
    if (close != null) {
      closeWith(1000, close);
    }
  }

  private void reply(ResolvedActor a, ToServer.ActionRequest r, Object output, Throwable error) {
    OptionalLong id = OptionalLong.of(r.id());
    byte[] bytes;
    if (error != null) {
      bytes = encode(ToClient.Error.from(Failures.forCaller(error, "action " + r.name()), id,
          Optional.of(a.spec(s.node))));
    } else {
      try {
        bytes = codec.encode(new ToClient.ActionResponse(r.id(), output));
      } catch (RuntimeException e) {
        bytes = encode(ToClient.Error.from(ActionRoute.unencodable(a, r.name(), e), id,
            Optional.of(a.spec(s.node))));
      }
    }
    if (bytes.length > s.config.maxOutgoingMessageSize()) {
      bytes = codec.encode(ToClient.Error.from(Failures.outgoingTooLong(), id, Optional.empty()));
    }
    send(bytes);
  }

  // ---------------------------------------------------------------- LocalConn.Sink

  @Override
  public void event(String name, List<Object> args) {
    byte[] bytes;
    try {
      bytes = codec.encode(new ToClient.Event(name, args));
    } catch (RuntimeException e) {
      Failures.LOG.warn("actor {}: event '{}' cannot be sent to a client and was dropped: {}",
          actorId(), name, e.getMessage());
      return;
    }
    if (bytes.length > s.config.maxOutgoingMessageSize()) {
      Failures.LOG.warn("actor {}: event '{}' is {} bytes, above maxOutgoingMessageSize {};"
          + " dropped", actorId(), name, bytes.length, s.config.maxOutgoingMessageSize());
      return;
    }
    boolean overflow = false;
    synchronized (lock) {
      switch (phase) {
        case OPENING -> {
          if (early.size() < MAX_EARLY_EVENTS) {
            early.add(bytes);
          } else {
            overflow = true;
          }
        }
        case OPEN -> write(bytes);
        default -> { }
      }
    }
    if (overflow) {
      drop("more than " + MAX_EARLY_EVENTS + " events before the connection opened");
    }
  }

  /** The actor closed this connection: {@code conn.disconnect(reason)}, or destroy. */
  @Override
  public void closed(String reason) {
    // The reference closes 1000 with an empty reason when the actor is destroyed.
    String r = Failures.truncate(reason == null || reason.equals("actor.destroyed") ? ""
        : reason);
    synchronized (lock) {
      disconnected = true; // the runtime already removed the connection
      if (pending > 0) {
        closeRequested = r; // after the replies in flight, e.g. the one of the kicking action
        return;
      }
    }
    closeWith(1000, r);
  }

  // ---------------------------------------------------------------- outbound

  private void send(ToClient.Error error) {
    send(encode(error));
  }

  /** An error frame; metadata JavaScript cannot represent is left out (and logged). */
  private byte[] encode(ToClient.Error error) {
    try {
      return codec.encode(error);
    } catch (RuntimeException e) {
      Failures.LOG.warn("error {} cannot be sent with its metadata: {}", error.group() + "."
          + error.code(), e.getMessage());
      return codec.encode(new ToClient.Error(error.group(), error.code(), error.message(),
          Optional.empty(), error.actionId(), error.actor()));
    }
  }

  private void send(byte[] bytes) {
    synchronized (lock) {
      if (phase != CLOSED) {
        write(bytes);
      }
    }
  }

  /** Writes one message in this socket's encoding. Called under {@code lock}. */
  private void write(byte[] bytes) {
    writeFrame(encoding == Encoding.JSON
        ? new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))
        : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
  }

  // ---------------------------------------------------------------- closing

  @Override
  void released(int code, String reason) {
    disconnectRuntime();
  }

  private void disconnectRuntime() {
    LocalConn c;
    synchronized (lock) {
      c = conn;
      if (c == null || disconnected) {
        return;
      }
      disconnected = true;
    }
    s.node.disconnect(c);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    synchronized (lock) {
      backlog.clear();
      early = null;
    }
    super.channelInactive(ctx);
  }

  @Override
  String actorId() {
    ResolvedActor a = actor;
    return a == null ? "-" : a.actorId();
  }
}
