package io.rivet4j.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Recorder;

/**
 * A lean WebSocket load generator on Netty: the closed loop of {@code NetworkBench}'s JDK
 * {@code WsDriver} (same request bytes, same round-robin, same latency clock) without the JDK
 * client's per-message futures and executor hops, so that on a shared 2-core machine the server
 * under test keeps a core. Native epoll client channels where they load (NIO otherwise), a
 * hand-written RFC 6455 client: the upgrade request (with Rivet's subprotocols {@code rivet},
 * {@code rivet_encoding.bare} in {@code rivet} mode), masked binary frames written straight into
 * one buffer each, replies parsed from the read buffers.
 *
 * <p>Load: {@code inflight} requests outstanding in total; each reply (or failed reply) starts
 * the next request on the next socket round-robin, so with {@code inflight == 1} it is
 * sequential. Requests are {@code ToServer.ActionRequest(id, "increment", [1])} in bare, ids
 * counting from 0 per socket. In {@code rivet} mode a socket is ready after Init and replies are
 * {@code ToClient} (an ActionResponse is a success, an Error a failure); otherwise (the raw echo)
 * a socket is ready after the 101 and a reply must decode as the request it echoes.
 *
 * <p>Concurrency: a socket's state (ids, start times, frame parsing) is touched only on its
 * channel's event loop; a request for a socket of another loop (with {@code threads > 1}) is
 * handed to that loop as a task. The round-robin position, the counters and the latency
 * {@link Recorder} are shared and thread-safe. A reply whose id is not outstanding on its socket
 * (unknown or duplicate) counts as an error.
 *
 * <p>Lifecycle: {@link #open} (connect, upgrade, Init) → {@link #start} or
 * {@link #startFixed} → {@link #stop} / {@link #awaitIdle} → {@link #close}. The event loops are
 * the driver's own (threads named {@value #THREAD_PREFIX}-…), shut down by {@link #close}.
 */
final class NettyWsDriver implements AutoCloseable {
  /** Prefix of the event-loop threads' names (CPU accounting picks them by it). */
  static final String THREAD_PREFIX = "netty-gen";
  private static final ProtocolCodec BARE = ProtocolCodec.of(Encoding.BARE);
  private static final List<Object> ONE = List.of(1L);
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int RING = 4096; // > the requests one socket can have outstanding
  private static final int MAX_MESSAGE = 16 * 1024 * 1024;
  private static final int MAX_HEADER = 16 * 1024;

  private final boolean rivet;
  private final boolean epoll;
  private final int threads;
  private final EventLoopGroup group;
  private final int mask = ThreadLocalRandom.current().nextInt() | 1; // clients must mask
  private Sock[] socks = new Sock[0];

  final Recorder recorder = new Recorder(3);
  final AtomicLong ops = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  private final AtomicLong next = new AtomicLong();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private volatile long limit = Long.MAX_VALUE; // requests to start in total
  private volatile boolean running;

  /**
   * @param rivet Rivet's actor-connect protocol (subprotocols, Init, {@code ToClient} replies)
   *     rather than an echo of the request
   * @param threads event-loop threads of the generator (on 2 shared cores, 2 loops use about
   *     as much CPU as 1 but wait less: one loop is a serial bottleneck of its own)
   */
  NettyWsDriver(boolean rivet, int threads) {
    this.rivet = rivet;
    this.threads = threads;
    this.epoll = Epoll.isAvailable() && !"nio".equalsIgnoreCase(
        System.getProperty("rivet4j.transport", System.getenv("RIVET_TRANSPORT")));
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(threads,
        new DefaultThreadFactory(THREAD_PREFIX, true), io);
  }

  /** "Netty epoll, 2 event loops" and the like, for reports. */
  String describe() {
    return String.format(Locale.ROOT, "Netty %s, %d event loop%s", epoll ? "epoll" : "NIO",
        threads, threads == 1 ? "" : "s");
  }

  /**
   * Connects one socket per URI (64 handshakes at a time) and waits until every one is ready
   * (after Init in {@code rivet} mode).
   */
  void open(List<URI> uris) throws Exception {
    socks = new Sock[uris.size()];
    Bootstrap b = new Bootstrap().group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    int batch = 64;
    for (int from = 0; from < uris.size(); from += batch) {
      List<CompletableFuture<Void>> opening = new ArrayList<>();
      for (int i = from; i < Math.min(uris.size(), from + batch); i++) {
        URI uri = uris.get(i);
        Sock s = new Sock(uri);
        socks[i] = s;
        opening.add(s.ready);
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        b.clone().handler(s).connect(uri.getHost(), port).addListener(f -> {
          if (!f.isSuccess()) {
            s.ready.completeExceptionally(f.cause());
          }
        });
      }
      try {
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new))
            .get(30, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException("sockets " + from + "…" + (from + batch - 1)
            + " not ready within 30 s (" + (rivet ? "no Init" : "no upgrade") + ")", e);
      }
    }
  }

  /** Starts the closed loop with {@code inflight} requests outstanding until {@link #stop}. */
  void start(int inflight) {
    startFixed(inflight, Long.MAX_VALUE);
  }

  /** As {@link #start}, but starts {@code total} requests in all; see {@link #awaitIdle}. */
  void startFixed(int inflight, long total) {
    limit = total;
    running = true;
    for (int i = 0; i < inflight; i++) {
      sendNext();
    }
  }

  private void sendNext() {
    if (!running) {
      return;
    }
    long n = next.getAndIncrement();
    if (n >= limit) {
      return;
    }
    outstanding.incrementAndGet();
    socks[(int) (n % socks.length)].send();
  }

  /** Stops starting requests; waits up to 5 s for the outstanding ones. */
  void stop() throws InterruptedException {
    running = false;
    awaitIdle(TimeUnit.SECONDS.toNanos(5));
  }

  /** Waits until no request is outstanding; false if {@code timeoutNanos} passed first. */
  boolean awaitIdle(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (outstanding.get() > 0 || running && next.get() < limit) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  int outstanding() {
    return outstanding.get();
  }

  /** The first failure seen, for messages ("" if none). */
  String firstError() {
    String e = firstError.get();
    return e == null ? "" : e;
  }

  /** Requests sent on socket {@code i} (read after {@link #awaitIdle}). */
  long sent(int i) {
    return socks[i].nextId;
  }

  /** The last {@code ActionResponse} output on socket {@code i} as a long (rivet mode), or -1. */
  long lastOutput(int i) {
    return socks[i].lastOutput;
  }

  private void fail(String what) {
    errors.incrementAndGet();
    firstError.compareAndSet(null, what);
  }

  @Override
  public void close() {
    running = false;
    for (Sock s : socks) {
      if (s != null && s.ch != null) {
        s.ch.close();
      }
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One WebSocket: the upgrade, then frames both ways, all on its event loop. */
  private final class Sock extends ByteToMessageDecoder {
    final URI uri;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final long[] started = new long[RING]; // [loop] 0: slot free
    final String key;
    Channel ch;
    boolean upgraded; // [loop]
    boolean closing; // [loop]
    volatile long nextId; // written on the loop only
    volatile long lastOutput = -1; // written on the loop only
    private ByteArrayOutputStream partial; // [loop] a fragmented message

    Sock(URI uri) {
      this.uri = uri;
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      this.key = Base64.getEncoder().encodeToString(nonce);
    }

    void send() {
      if (ch.eventLoop().inEventLoop()) {
        writeRequest();
      } else {
        ch.eventLoop().execute(this::writeRequest);
      }
    }

    private void writeRequest() {
      long id = nextId;
      nextId = id + 1;
      byte[] payload = BARE.encode(new ToServer.ActionRequest(id, "increment", ONE));
      int slot = (int) (id % RING);
      if (started[slot] != 0) {
        fail("more than " + RING + " requests outstanding on one socket");
      }
      started[slot] = Math.max(1, System.nanoTime());
      ch.writeAndFlush(frame(0x2, payload), ch.voidPromise());
    }

    /** A final, masked frame (RFC 6455 §5.2) of {@code opcode} carrying {@code payload}. */
    private ByteBuf frame(int opcode, byte[] payload) {
      int len = payload.length;
      ByteBuf out = ch.alloc().directBuffer(len + 14);
      out.writeByte(0x80 | opcode);
      if (len < 126) {
        out.writeByte(0x80 | len);
      } else if (len < 65536) {
        out.writeByte(0x80 | 126);
        out.writeShort(len);
      } else {
        out.writeByte(0x80 | 127);
        out.writeLong(len);
      }
      out.writeInt(mask);
      for (int i = 0; i < len; i++) {
        out.writeByte(payload[i] ^ (mask >>> (24 - 8 * (i & 3))));
      }
      return out;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      ch = ctx.channel();
      String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      String req = "GET " + path + " HTTP/1.1\r\n"
          + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
          + "Upgrade: websocket\r\n"
          + "Connection: Upgrade\r\n"
          + "Sec-WebSocket-Key: " + key + "\r\n"
          + "Sec-WebSocket-Version: 13\r\n"
          + (rivet ? "Sec-WebSocket-Protocol: rivet, rivet_encoding.bare\r\n" : "")
          + "\r\n";
      ctx.writeAndFlush(Unpooled.copiedBuffer(req, StandardCharsets.US_ASCII));
      super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (!ready.isDone()) {
        ready.completeExceptionally(new IllegalStateException(uri + ": closed before ready"));
      } else if (running && !closing) {
        fail(uri + ": the server closed the socket");
      }
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (!ready.isDone()) {
        ready.completeExceptionally(cause);
      } else if (running) {
        fail(uri + ": " + cause);
      }
      ctx.close();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      if (!upgraded && !upgrade(in)) {
        return;
      }
      while (in.readableBytes() >= 2 && !closing) {
        int at = in.readerIndex();
        int b0 = in.getUnsignedByte(at);
        int b1 = in.getUnsignedByte(at + 1);
        long len = b1 & 0x7F;
        int header = 2;
        if (len == 126) {
          if (in.readableBytes() < 4) {
            return;
          }
          len = in.getUnsignedShort(at + 2);
          header = 4;
        } else if (len == 127) {
          if (in.readableBytes() < 10) {
            return;
          }
          len = in.getLong(at + 2);
          header = 10;
        }
        boolean masked = (b1 & 0x80) != 0;
        if (masked) {
          header += 4;
        }
        if (len < 0 || len > MAX_MESSAGE) {
          protocolError("a frame of " + len + " bytes");
          return;
        }
        if (in.readableBytes() < header + len) {
          return;
        }
        byte[] payload = ByteBufUtil.getBytes(in, at + header, (int) len);
        if (masked) { // servers must not mask; tolerated
          for (int i = 0; i < payload.length; i++) {
            payload[i] ^= in.getByte(at + header - 4 + (i & 3));
          }
        }
        in.readerIndex(at + header + (int) len);
        frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
      }
    }

    /** Consumes the 101 response; false while it is incomplete. */
    private boolean upgrade(ByteBuf in) {
      int end = -1;
      for (int i = in.readerIndex(); i + 3 < in.writerIndex(); i++) {
        if (in.getInt(i) == 0x0D0A0D0A) { // CR LF CR LF
          end = i;
          break;
        }
      }
      if (end < 0) {
        if (in.readableBytes() > MAX_HEADER) {
          protocolError("no end of the HTTP response header in " + MAX_HEADER + " bytes");
        }
        return false;
      }
      String head = in.toString(in.readerIndex(), end - in.readerIndex(),
          StandardCharsets.ISO_8859_1);
      in.readerIndex(end + 4);
      String[] lines = head.split("\r\n");
      if (!lines[0].startsWith("HTTP/1.1 101")) {
        protocolError("upgrade refused: " + lines[0]);
        return false;
      }
      String accept = null;
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(
            "Sec-WebSocket-Accept")) {
          accept = line.substring(colon + 1).trim();
        }
      }
      if (!expectedAccept(key).equals(accept)) {
        protocolError("wrong Sec-WebSocket-Accept: " + accept);
        return false;
      }
      upgraded = true;
      if (!rivet) {
        ready.complete(null);
      }
      return true;
    }

    private void frame(boolean fin, int opcode, byte[] payload) {
      switch (opcode) {
        case 0x0, 0x2 -> {
          if (opcode == 0x2 && partial != null || opcode == 0x0 && partial == null) {
            protocolError("unexpected " + (opcode == 0 ? "continuation" : "binary") + " frame");
            return;
          }
          if (!fin || partial != null) {
            if (partial == null) {
              partial = new ByteArrayOutputStream();
            }
            partial.writeBytes(payload);
            if (!fin) {
              return;
            }
            payload = partial.toByteArray();
            partial = null;
          }
          message(payload);
        }
        case 0x1 -> {
          fail(uri + ": a text frame");
          if (ready.isDone()) {
            replied(); // whatever it answered, keep the in-flight budget
          }
        }
        case 0x8 -> {
          closing = true;
          if (!ready.isDone()) {
            ready.completeExceptionally(new IllegalStateException(uri + ": closed before ready: "
                + closeReason(payload)));
          } else if (running) {
            fail(uri + ": closed by the server: " + closeReason(payload));
          }
          ch.writeAndFlush(frame(0x8, payload.length >= 2
              ? new byte[] {payload[0], payload[1]} : new byte[0])).addListener(f -> ch.close());
        }
        case 0x9 -> ch.writeAndFlush(frame(0xA, payload), ch.voidPromise());
        case 0xA -> { }
        default -> protocolError("opcode " + opcode);
      }
    }

    private void message(byte[] bytes) {
      long now = System.nanoTime();
      long id = -1;
      String bad = null;
      try {
        if (rivet) {
          ToClient m = BARE.decodeToClient(bytes);
          switch (m) {
            case ToClient.Init i -> {
              ready.complete(null);
              return;
            }
            case ToClient.Event e -> {
              return; // not subscribed; ignored if ever sent
            }
            case ToClient.ActionResponse r -> {
              id = r.id();
              if (r.output() instanceof Number n) {
                lastOutput = n.longValue();
              }
            }
            case ToClient.Error e -> {
              id = e.actionId().orElse(-1);
              bad = "Error " + e.group() + "." + e.code() + ": " + e.message();
            }
          }
        } else {
          ToServer m = BARE.decodeToServer(bytes);
          if (m instanceof ToServer.ActionRequest r && r.name().equals("increment")
              && r.args().equals(ONE)) {
            id = r.id();
          } else {
            bad = "not the echo of a request: " + m;
          }
        }
      } catch (RuntimeException e) {
        bad = "undecodable reply: " + e;
      }
      long t0 = 0;
      if (id >= 0 && id < nextId) {
        int slot = (int) (id % RING);
        t0 = started[slot];
        started[slot] = 0;
      }
      if (t0 == 0 && bad == null) {
        bad = "a reply to id " + id + ", which is not outstanding";
      }
      if (!ready.isDone()) {
        protocolError("a reply before Init");
        return;
      }
      if (bad == null) {
        recorder.recordValue(Math.max(0, now - t0));
        ops.incrementAndGet();
      } else {
        fail(uri + ": " + bad);
      }
      replied();
    }

    private void replied() {
      outstanding.decrementAndGet();
      sendNext();
    }

    private void protocolError(String what) {
      IllegalStateException e = new IllegalStateException(uri + ": " + what);
      if (!ready.isDone()) {
        ready.completeExceptionally(e);
      } else {
        fail(e.getMessage());
      }
      closing = true;
      ch.close();
    }
  }

  private static String closeReason(byte[] payload) {
    if (payload.length < 2) {
      return "no status";
    }
    int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    return code + " " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
  }

  static String expectedAccept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1")
          .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
