package io.rivet4j.server.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.rivet4j.api.RivetError;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;
import io.rivet4j.runtime.internal.Errors;
import io.rivet4j.runtime.internal.LocalConn;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
final class WebSocketSession extends ChannelInboundHandlerAdapter implements LocalConn.Sink {
  private static final int OPENING = 0;
  private static final int OPEN = 1;
  private static final int CLOSED = 2;
  private static final int MAX_EARLY_EVENTS = 1024;
  private static final long CLOSE_HANDSHAKE_MS = 3000;

  private final ServerContext s;
  private final Encoding encoding;
  private final ProtocolCodec codec;
  private final Object params;
  private final GatewayTarget target;
  private final RivetError rejection;
  private final Object lock = new Object();
  private final Channel ch;

  private int phase = OPENING; // [lock]
  private List<byte[]> early = new ArrayList<>(); // [lock] events before Init
  private final ArrayDeque<ToServer> backlog = new ArrayDeque<>(); // [lock]
  private boolean laneRunning; // [lock]
  private int pending; // [lock] backlog + actions in flight
  private boolean paused; // [lock] reading paused for backpressure
  private boolean disconnected; // [lock]
  private String closeRequested; // [lock] the actor closed us while replies were in flight
  private boolean dropped; // [lock]
  private volatile ResolvedActor actor;
  private volatile LocalConn conn;

  private long lastReadNanos = System.nanoTime(); // [event loop]
  private ScheduledFuture<?> slowCheck; // [event loop]

  /**
   * @param rejection when not null, the session only reports it (close 1011 with its code) —
   *     how the engine answers a WebSocket it cannot route
   */
  WebSocketSession(ServerContext s, Channel ch, Encoding encoding, Object params,
      GatewayTarget target, RivetError rejection) {
    this.s = s;
    this.ch = ch;
    this.encoding = encoding;
    this.codec = ProtocolCodec.of(encoding);
    this.params = params;
    this.target = target;
    this.rejection = rejection;
  }

  // ---------------------------------------------------------------- opening

  /** After the handshake: resolve, connect, send Init (event loop). */
  void start() {
    if (rejection != null) {
      closeWith(1011, Failures.closeReason(rejection, RayIds.next()));
      return;
    }
    Optional<ResolvedActor> fast = s.resolver.tryFast(target);
    if (fast.isPresent()) {
      open(fast.get());
      return;
    }
    s.blocking.execute(() -> {
      ResolvedActor resolved;
      try {
        resolved = s.resolver.resolve(target);
      } catch (Throwable t) {
        RivetError e = Failures.forCaller(t, "resolve");
        closeWith(1011, Failures.closeReason(e, RayIds.next()));
        return;
      }
      open(resolved);
    });
  }

  private void open(ResolvedActor a) {
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
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastReadNanos = System.nanoTime();
    try {
      switch (msg) {
        case TextWebSocketFrame f -> message(ByteBufUtil.getBytes(f.content()));
        case BinaryWebSocketFrame f -> message(ByteBufUtil.getBytes(f.content()));
        case PingWebSocketFrame p -> ch.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
        case CloseWebSocketFrame c -> echoClose(c);
        default -> { }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void message(byte[] bytes) {
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
          Optional.of(a.spec())));
    } else {
      try {
        bytes = codec.encode(new ToClient.ActionResponse(r.id(), output));
      } catch (RuntimeException e) {
        bytes = encode(ToClient.Error.from(ActionRoute.unencodable(a, r.name(), e), id,
            Optional.of(a.spec())));
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

  /**
   * Writes one frame; drops the peer when its outbound buffer is over the hard cap. Called under
   * {@code lock}.
   */
  private void write(byte[] bytes) {
    if (!ch.isWritable() && ch.bytesBeforeWritable() > s.config.maxBufferedOutbound()) {
      ordered(() -> drop("more than " + s.config.maxBufferedOutbound()
          + " bytes waiting to be sent"));
      phase = CLOSED; // no more writes
      return;
    }
    WebSocketFrame frame = encoding == Encoding.JSON
        ? new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))
        : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes));
    ordered(() -> ch.writeAndFlush(frame, ch.voidPromise()));
  }

  /**
   * Runs a write as a task of the event loop, even on the event loop: a write made directly
   * there would overtake writes other threads queued before it (an event released by the actor
   * thread, then its action's reply completed on the event loop).
   */
  private void ordered(Runnable write) {
    try {
      ch.eventLoop().execute(write);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the server is shutting down; the channel is closing anyway
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (!ch.isWritable()) {
      if (slowCheck == null) {
        slowCheck = ch.eventLoop().schedule(() -> {
          slowCheck = null;
          if (!ch.isWritable()) {
            drop("the outbound buffer stayed above the high-water mark for "
                + s.config.slowConsumerTimeout().toMillis() + " ms");
          }
        }, s.config.slowConsumerTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    } else if (slowCheck != null) {
      slowCheck.cancel(false);
      slowCheck = null;
    }
    ctx.fireChannelWritabilityChanged();
  }

  // ---------------------------------------------------------------- closing

  /**
   * Sends a close frame; the channel closes when the peer answers, or after
   * {@value #CLOSE_HANDSHAKE_MS} ms (thread-safe, once).
   */
  void closeWith(int code, String reason) {
    synchronized (lock) {
      if (phase == CLOSED) {
        return;
      }
      phase = CLOSED;
    }
    // The peer answers with its own close frame and closes TCP; until then input is read and
    // discarded, so that unread bytes do not turn our close into a reset that loses the frame.
    ordered(() -> ch.writeAndFlush(new CloseWebSocketFrame(code, reason)));
    ch.eventLoop().schedule(() -> {
      ch.close();
    }, CLOSE_HANDSHAKE_MS, TimeUnit.MILLISECONDS);
    disconnectRuntime();
  }

  /** The peer closed: echo its status and reason (RFC 6455 §5.5.1), then close. */
  private void echoClose(CloseWebSocketFrame c) {
    int status = c.statusCode();
    String reason = c.reasonText();
    synchronized (lock) {
      if (phase == CLOSED) {
        ch.close(); // the reply to our close frame: the handshake is complete
        return;
      }
      phase = CLOSED;
    }
    CloseWebSocketFrame echo;
    try {
      echo = status < 0 ? new CloseWebSocketFrame()
          : new CloseWebSocketFrame(status, reason == null ? "" : reason);
    } catch (IllegalArgumentException e) {
      echo = new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR);
    }
    CloseWebSocketFrame reply = echo;
    ordered(() -> ch.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE));
    disconnectRuntime();
  }

  /** Closes without a close frame: the peer is gone or does not read. */
  private void drop(String why) {
    synchronized (lock) {
      phase = CLOSED;
      if (dropped) {
        return;
      }
      dropped = true;
    }
    Failures.LOG.warn("WebSocket {} to actor {} dropped: {}", ch.remoteAddress(), actorId(), why);
    ch.close();
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
      phase = CLOSED;
      backlog.clear();
      early = null;
    }
    if (slowCheck != null) {
      slowCheck.cancel(false);
    }
    disconnectRuntime();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
      long silentMs = (System.nanoTime() - lastReadNanos) / 1_000_000;
      if (silentMs >= s.config.webSocketIdleTimeout().toMillis()) {
        drop("no frame (nor pong) for " + silentMs + " ms");
      } else {
        ch.writeAndFlush(new PingWebSocketFrame());
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    boolean closing;
    synchronized (lock) {
      closing = phase == CLOSED;
    }
    if (closing) {
      // e.g. writes queued before a drop, failing on the closed channel
      Failures.LOG.debug("WebSocket {} after close: {}", ch.remoteAddress(), cause.toString());
      ch.close();
      return;
    }
    boolean tooBig = cause instanceof TooLongFrameException
        || cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
            && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
    if (tooBig) {
      closeWith(1011, Failures.incomingTooLong().qualifiedCode());
    } else if (cause instanceof CorruptedWebSocketFrameException) {
      Failures.LOG.debug("WebSocket protocol violation from {}: {}", ch.remoteAddress(),
          cause.getMessage());
      closeWith(1002, "actor.invalid_request");
    } else if (cause instanceof IOException) {
      Failures.LOG.debug("WebSocket {} failed: {}", ch.remoteAddress(), cause.toString());
      drop(cause.toString());
    } else {
      Errors.forCaller(cause, Failures.LOG, actorId(), "WebSocket");
      closeWith(1011, "rivetkit.internal_error");
    }
  }

  private String actorId() {
    ResolvedActor a = actor;
    return a == null ? "-" : a.actorId();
  }
}
