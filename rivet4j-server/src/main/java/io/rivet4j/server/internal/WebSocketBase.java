package io.rivet4j.server.internal;

import io.netty.buffer.ByteBufUtil;
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
import io.rivet4j.runtime.internal.Errors;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * What every server WebSocket shares, the actor-connect protocol socket and the raw one: frame
 * reading, pings and the idle drop, ordered writes, the slow-consumer policy and the close
 * handshake.
 *
 * <p>Concurrency: Netty calls the handler methods on the channel's event loop; other threads
 * write through {@link #writeFrame} under {@code lock}, which queues the write as an event-loop
 * task so that frames leave in the order their writers took the lock. {@code lock} guards
 * {@code phase} (OPENING → OPEN → CLOSED; CLOSED is final) and the subclasses' own state.
 * {@link #released} is called at least once when the socket is closed for good, from any
 * thread; subclasses make it idempotent.
 */
abstract class WebSocketBase extends ChannelInboundHandlerAdapter {
  static final int OPENING = 0;
  static final int OPEN = 1;
  static final int CLOSED = 2;
  private static final long CLOSE_HANDSHAKE_MS = 3000;

  final ServerContext s;
  final Channel ch;
  /** The actor to open the socket on; null when {@code rejection} is set. */
  final GatewayTarget target;
  /**
   * When not null, the socket only reports it (close 1011 with its code): how the engine answers
   * a WebSocket it cannot route.
   */
  final io.rivet4j.api.RivetError rejection;
  final Object lock = new Object();
  int phase = OPENING; // [lock]
  private boolean dropped; // [lock]
  private long lastReadNanos = System.nanoTime(); // [event loop]
  private ScheduledFuture<?> slowCheck; // [event loop]

  WebSocketBase(ServerContext s, Channel ch, GatewayTarget target,
      io.rivet4j.api.RivetError rejection) {
    this.s = s;
    this.ch = ch;
    this.target = target;
    this.rejection = rejection;
  }

  /** After the handshake (event loop): resolve the actor, then {@link #open} the socket. */
  final void start() {
    if (rejection != null) {
      closeWith(1011, Failures.closeReason(rejection, RayIds.next()));
      return;
    }
    java.util.Optional<ResolvedActor> fast = s.resolver.tryFast(target);
    if (fast.isPresent()) {
      open(fast.get());
      return;
    }
    s.blocking.execute(() -> { // resolving may wait for the store
      ResolvedActor resolved;
      try {
        resolved = s.resolver.resolve(target);
      } catch (Throwable t) {
        closeWith(1011, Failures.closeReason(Failures.forCaller(t, "resolve"), RayIds.next()));
        return;
      }
      open(resolved);
    });
  }

  /** The actor is resolved: connect the socket to it (any thread). */
  abstract void open(ResolvedActor actor);

  /** A complete text or binary message from the peer (event loop). */
  abstract void message(byte[] bytes, boolean text);

  /** The socket is closed for good: {@code code}/{@code reason} as the closing side gave them. */
  abstract void released(int code, String reason);

  /** For log lines. */
  abstract String actorId();

  // ---------------------------------------------------------------- inbound

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastReadNanos = System.nanoTime();
    try {
      switch (msg) {
        case TextWebSocketFrame f -> message(ByteBufUtil.getBytes(f.content()), true);
        case BinaryWebSocketFrame f -> message(ByteBufUtil.getBytes(f.content()), false);
        case PingWebSocketFrame p -> ch.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
        case CloseWebSocketFrame c -> echoClose(c);
        default -> { }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  // ---------------------------------------------------------------- outbound

  /**
   * Writes one frame; drops the peer when its outbound buffer is over the hard cap. Called under
   * {@code lock}.
   */
  void writeFrame(WebSocketFrame frame) {
    if (!ch.isWritable() && ch.bytesBeforeWritable() > s.config.maxBufferedOutbound()) {
      frame.release();
      ordered(() -> drop("more than " + s.config.maxBufferedOutbound()
          + " bytes waiting to be sent"));
      phase = CLOSED; // no more writes
      return;
    }
    ordered(() -> ch.writeAndFlush(frame, ch.voidPromise()));
  }

  /**
   * Runs a write as a task of the event loop, even on the event loop: a write made directly
   * there would overtake writes other threads queued before it (an event released by the actor
   * thread, then its action's reply completed on the event loop).
   */
  void ordered(Runnable write) {
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
    released(code, reason);
  }

  /** The peer closed: echo its status and reason (RFC 6455 §5.5.1), then close. */
  private void echoClose(CloseWebSocketFrame c) {
    int status = c.statusCode();
    String reason = c.reasonText() == null ? "" : c.reasonText();
    synchronized (lock) {
      if (phase == CLOSED) {
        ch.close(); // the reply to our close frame: the handshake is complete
        return;
      }
      phase = CLOSED;
    }
    CloseWebSocketFrame echo;
    try {
      echo = status < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, reason);
    } catch (IllegalArgumentException e) {
      echo = new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR);
    }
    CloseWebSocketFrame reply = echo;
    ordered(() -> ch.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE));
    released(status < 0 ? 1005 : status, reason);
  }

  /** Closes without a close frame: the peer is gone or does not read. */
  void drop(String why) {
    synchronized (lock) {
      phase = CLOSED;
      if (dropped) {
        return;
      }
      dropped = true;
    }
    Failures.LOG.warn("WebSocket {} to actor {} dropped: {}", ch.remoteAddress(), actorId(), why);
    ch.close();
    released(1006, "");
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    synchronized (lock) {
      phase = CLOSED;
    }
    if (slowCheck != null) {
      slowCheck.cancel(false);
    }
    released(1006, "");
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
}
