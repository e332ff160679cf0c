package io.rivet4j.server.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpResponseError;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.runtime.internal.Node;
import io.rivet4j.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Netty server behind {@link io.rivet4j.server.RivetServer}: one listening socket, NIO event
 * loops, and a virtual thread per piece of work that may block.
 *
 * <p>Concurrency: thread-safe; {@link #close} is idempotent.
 *
 * <p>Lifecycle: started (bound) → closed (no new connections; WebSockets closed with
 * {@code 1001 ws.going_away}; event loops and the blocking executor stopped). The node is not
 * closed here: the runtime belongs to the caller.
 */
public final class NettyServer {
  /** The Rivet4j version, from the build. */
  public static final String VERSION = loadVersion();

  private final ServerContext context;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel serverChannel;
  private final InetSocketAddress bound;
  private final AtomicBoolean closed = new AtomicBoolean();

  private NettyServer(ServerContext context, EventLoopGroup boss, EventLoopGroup workers,
      Channel serverChannel) {
    this.context = context;
    this.boss = boss;
    this.workers = workers;
    this.serverChannel = serverChannel;
    this.bound = (InetSocketAddress) serverChannel.localAddress();
  }

  /** Binds and starts serving {@code node}; returns once the port accepts connections. */
  public static NettyServer start(Node node, ServerConfig config,
      io.rivet4j.server.StaticFiles files) {
    boolean epoll = useEpoll();
    io.netty.channel.IoHandlerFactory transport = epoll
        ? io.netty.channel.epoll.EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, transport);
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(transport);
    // Short non-blocking actions may run on the event loop that read them (InlineProfile).
    for (io.netty.util.concurrent.EventExecutor loop : workers) {
      loop.execute(Node::allowInlineTurns);
    }
    ExecutorService blocking = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("rivet4j-server-", 0).factory());
    ChannelGroup channels = new DefaultChannelGroup("rivet4j-server",
        GlobalEventExecutor.INSTANCE);
    ServerContext context = new ServerContext(node, config, blocking, channels, files);
    int high = config.writeBufferHighWaterMark();
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channelFactory(serverChannel(epoll, inheritedFd()))
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2,
            high))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            channels.add(ch);
            ChannelPipeline p = ch.pipeline();
            int maxLine = 16 * 1024 + 2 * config.maxInputSize();
            p.addLast("codec", new HttpServerCodec(maxLine, 64 * 1024, 64 * 1024));
            p.addLast("keepalive", new HttpServerKeepAliveHandler());
            p.addLast("aggregator", new BodyAggregator(config.maxRequestBodySize()));
            p.addLast("idle", new IdleStateHandler(0, 0, config.httpIdleTimeout().toMillis(),
                TimeUnit.MILLISECONDS));
            p.addLast("http", new HttpRequestHandler(context));
          }
        });
    try {
      Integer inherited = inheritedFd();
      Channel ch = inherited != null
          ? b.register().syncUninterruptibly().channel() // already bound and listening
          : b.bind(config.host(), config.port()).syncUninterruptibly().channel();
      NettyServer server = new NettyServer(context, boss, workers, ch);
      Failures.LOG.info("Rivet4j server {} listening on {}:{} ({}; actors: {})", VERSION,
          config.host(), server.port(), epoll ? "epoll" : "nio", node.actorNames());
      return server;
    } catch (RuntimeException e) {
      boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      blocking.shutdownNow();
      throw new UncheckedIOException(new IOException("could not listen on " + config.host()
          + ":" + config.port() + ": " + e.getMessage(), e));
    }
  }

  public int port() {
    return bound.getPort();
  }

  public String host() {
    return bound.getAddress().getHostAddress();
  }

  /** Closes the listener and every connection, then stops the threads. */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    context.closing = true;
    serverChannel.close().syncUninterruptibly();
    for (Channel ch : context.channels) {
      WebSocketSession ws = ch.pipeline().get(WebSocketSession.class);
      if (ws != null) {
        ch.eventLoop().execute(() -> ws.closeWith(1001, "ws.going_away"));
      } else {
        ch.close();
      }
    }
    context.channels.newCloseFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
    context.channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    context.blocking.shutdown();
    try {
      context.blocking.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Failures.LOG.info("Rivet4j server on port {} closed", port());
  }

  /**
   * The listening socket this process inherited from {@code Supervisor} ({@code RIVET_LISTEN_FD},
   * which must be 0: standard input), or null to bind one.
   */
  static Integer inheritedFd() {
    String v = System.getenv("RIVET_LISTEN_FD");
    if (v == null || v.isBlank()) {
      return null;
    }
    if (!v.trim().equals("0")) {
      throw new IllegalArgumentException("RIVET_LISTEN_FD must be 0 (standard input), was " + v);
    }
    return 0;
  }

  private static io.netty.channel.ChannelFactory<io.netty.channel.ServerChannel> serverChannel(
      boolean epoll, Integer fd) {
    if (fd == null) {
      return epoll ? io.netty.channel.epoll.EpollServerSocketChannel::new
          : NioServerSocketChannel::new;
    }
    if (epoll) {
      return () -> new io.netty.channel.epoll.EpollServerSocketChannel(fd);
    }
    return () -> {
      try {
        if (System.inheritedChannel() instanceof java.nio.channels.ServerSocketChannel ssc) {
          return new NioServerSocketChannel(ssc);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw new IllegalStateException("RIVET_LISTEN_FD=0 but standard input is not a listening"
          + " socket");
    };
  }

  /**
   * Native epoll where it loads (Linux x86-64), else NIO; {@code RIVET_TRANSPORT=nio} (or the
   * system property {@code rivet4j.transport=nio}) forces NIO.
   */
  static boolean useEpoll() {
    String forced = System.getProperty("rivet4j.transport", System.getenv("RIVET_TRANSPORT"));
    if (forced != null && forced.equalsIgnoreCase("nio")) {
      return false;
    }
    if (io.netty.channel.epoll.Epoll.isAvailable()) {
      return true;
    }
    Failures.LOG.info("native epoll not available ({}); using NIO",
        io.netty.channel.epoll.Epoll.unavailabilityCause().toString());
    return false;
  }

  static WebSocketDecoderConfig decoderConfig(int maxFramePayload) {
    return WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(maxFramePayload)
        .allowExtensions(false)
        .allowMaskMismatch(false)
        .expectMaskedFrames(true)
        .closeOnProtocolViolation(false)
        .build();
  }

  private static String loadVersion() {
    try (InputStream in = NettyServer.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "dev");
      return v.startsWith("${") ? "dev" : v;
    } catch (IOException e) {
      return "dev";
    }
  }

  /** Aggregates bodies up to the engine's cap; a larger one gets the engine's error, then EOF. */
  private static final class BodyAggregator extends HttpObjectAggregator {
    private final int limit;

    BodyAggregator(int limit) {
      super(limit);
      this.limit = limit;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      byte[] json = ProtocolCodec.of(Encoding.JSON).encode(new HttpResponseError("guard",
          "invalid_request_body", "request body exceeded the " + limit + "-byte limit",
          Optional.empty(), Optional.empty()));
      FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(json));
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
      res.headers().set("x-rivet-error", "guard.invalid_request_body");
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
