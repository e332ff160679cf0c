package io.rivet4j.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.rivet4j.api.Key;
import io.rivet4j.client.RivetClient;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpActionRequest;
import io.rivet4j.protocol.HttpActionResponse;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.store.FsyncProbe;
import io.rivet4j.server.RivetServer;
import io.rivet4j.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Network benchmark, one JVM: the raw ceiling (bare Netty WebSocket and HTTP echo servers with
 * the same event-loop settings as {@code rivet4j-server}) next to {@link RivetServer} serving the
 * counter in relaxed and durable modes, all driven by the same JDK {@link HttpClient} /
 * {@link WebSocket} code paths on loopback; the WebSocket throughput rows are measured a second
 * time with {@link NettyWsDriver} (scenario suffix {@code -netty}), a lean Netty client that
 * takes about 0.6 of the two cores where the JDK client takes 0.8–1.
 *
 * <p>The Rivet4j client library is <em>not</em> used: each WebSocket loop encodes
 * {@code ToServer.ActionRequest(id, "increment", [1])} with {@link ProtocolCodec} (bare) and
 * decodes the reply; the echo loops send the very same bytes and decode the echo as a
 * {@code ToServer}, so both sides pay the same client cost. HTTP actions are
 * {@code POST /gateway/<id>/action/increment} with a bare {@link HttpActionRequest} body.
 *
 * <pre>
 * java -cp ... io.rivet4j.benchmarks.NetworkBench [--smoke] [--warmup=2] [--measure=5]
 *     [--actors=1000] [--connections=64] [--per-connection=4] [--only=REGEX]
 *     [--generators=jdk,netty] [--gen-threads=2]
 * </pre>
 *
 * <p>{@code --only=REGEX} runs the rows whose "scenario mode" (e.g. {@code ws-1000-actors-netty
 * relaxed}, {@code ws-echo-1000c raw}) contains a match; {@code --generators} picks the load
 * generators of the WebSocket throughput rows (the sequential and HTTP rows are always the JDK
 * client's); {@code --gen-threads} is the Netty generator's event-loop count: 2 by default (1
 * when this process may use only one CPU, as under {@code taskset} in external mode). In one
 * JVM on 2 cores one loop is a serial bottleneck of its own (one thread woken for every batch of
 * replies): it bounds the raw echo with 1,000 sockets at ~65k/s, two reach ~105k/s, and both
 * use about 0.6 cores against Rivet4j.
 *
 * <p>With {@code --endpoint=URL} it is instead a load generator for a server in another process
 * ({@code benchmarks/js/run.sh} runs it beside the official JavaScript client): the counter of
 * {@code scripts/serve.sh counter} ({@code --target=rivet}, counters created with
 * {@link RivetClient}) or {@link EchoServerMain} ({@code --target=raw}), the same four shapes as
 * {@code benchmarks/js/bench.mjs} under the same scenario names, with the CPU of
 * {@code --server-pids=PID,...}; the two throughput shapes once more with the Netty generator
 * ({@code "load_generator":"java-netty"}).
 *
 * <p>Either way, with {@code --jsonl=FILE} or {@code $BENCH_RESULTS_JSONL} each row is also
 * appended there as one JSON line ({@link JsonlResults}): suite {@code net} for the one-JVM run,
 * {@code js} for the rows measured beside the official client.
 */
public final class NetworkBench {
  private static final ProtocolCodec BARE = ProtocolCodec.of(Encoding.BARE);
  private static final List<Object> ONE = List.of(1L);
  private static final int DEFAULT_GEN_THREADS =
      Math.min(2, Runtime.getRuntime().availableProcessors());

  private final double warmupS;
  private final double measureS;
  private final int actors;
  private final int connections;
  private final int perConnection;
  private final PrintStream log;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private FsyncProbe.Result fsync;
  private External ext; // null: in-process servers
  private JsonlResults results = JsonlResults.none();
  private CpuMeter cpu;
  private double lastServerCores = Double.NaN;
  private double lastSelfCores = Double.NaN;
  private double lastOthers = Double.NaN;
  private double lastQuietWait;
  private double quiet; // 0: no waiting for a quiet machine (see measure)
  private double lastGenCores = Double.NaN;
  private java.util.regex.Pattern only; // null: every row
  private boolean jdkGenerator = true;
  private boolean nettyGenerator = true;
  private int genThreads = DEFAULT_GEN_THREADS;
  private String nettyDescription = "";

  /** A server in another process and where the rows go (see the class comment). */
  record External(String endpoint, boolean raw, String contender, String durability,
      long[] serverPids) {}

  NetworkBench(double warmupS, double measureS, int actors, int connections, int perConnection,
      PrintStream log) {
    this.warmupS = warmupS;
    this.measureS = measureS;
    this.actors = actors;
    this.connections = connections;
    this.perConnection = perConnection;
    this.log = log;
  }

  /**
   * One result row. {@code base} names the raw row it is compared with (or null);
   * {@code generator} is {@code JDK} or {@code Netty}; {@code genCores} the cores its threads
   * used, {@code restCores} the rest of this JVM (in-process: the server, GC, JIT) or the
   * server's processes (external), {@code others} the share of the machine other processes took.
   */
  record Row(String scenario, String mode, String transport, int conns, int inflight,
      long p50Us, long p99Us, long p999Us, double opsPerSec, long errors, String base,
      long p90Us, long maxUs, long samples, String generator, double genCores,
      double restCores, double others) {}

  public static void main(String[] args) throws Exception {
    boolean smoke = false;
    double warmup = 2;
    double measure = 5;
    int actors = 1000;
    int conns = 64;
    int per = 4;
    String endpoint = null;
    String target = "rivet";
    String contender = null;
    String durability = "";
    long[] pids = new long[0];
    double quietShare = 0;
    String only = null;
    String generators = "jdk,netty";
    int genThreads = DEFAULT_GEN_THREADS;
    List<String> rest = new ArrayList<>();
    JsonlResults results = JsonlResults.fromArgs(args, rest);
    for (String a : rest) {
      String v = a.substring(a.indexOf('=') + 1);
      if (a.equals("net")) {
        continue;
      } else if (a.startsWith("--endpoint=")) {
        endpoint = v;
      } else if (a.startsWith("--target=")) {
        target = v;
      } else if (a.startsWith("--contender=")) {
        contender = v;
      } else if (a.startsWith("--durability=")) {
        durability = v;
      } else if (a.startsWith("--quiet=")) {
        quietShare = Double.parseDouble(v);
      } else if (a.startsWith("--server-pids=")) {
        pids = Arrays.stream(v.split(",")).filter(x -> !x.isBlank())
            .mapToLong(Long::parseLong).toArray();
      } else if (a.startsWith("--only=")) {
        only = v;
      } else if (a.startsWith("--generators=")) {
        generators = v;
      } else if (a.startsWith("--gen-threads=")) {
        genThreads = Integer.parseInt(v);
      } else if (a.equals("--smoke")) {
        smoke = true;
      } else if (a.startsWith("--warmup=")) {
        warmup = Double.parseDouble(a.substring(9));
      } else if (a.startsWith("--measure=")) {
        measure = Double.parseDouble(a.substring(10));
      } else if (a.startsWith("--actors=")) {
        actors = Integer.parseInt(a.substring(9));
      } else if (a.startsWith("--connections=")) {
        conns = Integer.parseInt(a.substring(14));
      } else if (a.startsWith("--per-connection=")) {
        per = Integer.parseInt(a.substring(17));
      } else {
        System.err.println("usage: NetworkBench [--smoke] [--warmup=S] [--measure=S]"
            + " [--actors=N] [--connections=N] [--per-connection=N] [--only=REGEX]"
            + " [--generators=jdk,netty] [--gen-threads=N] [--endpoint=URL"
            + " --target=rivet|raw --contender=NAME --durability=D --jsonl=FILE --run=ID"
            + " --commit=C --pinning=TEXT --server-pids=PID,... --quiet=SHARE]  (unknown: " + a
            + ")");
        System.exit(2);
      }
    }
    if (smoke) {
      warmup = 0.2;
      measure = 0.5;
      actors = Math.min(actors, 100);
    }
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    NetworkBench bench = new NetworkBench(warmup, measure, actors, conns, per, System.err);
    bench.results = results;
    bench.only = only == null ? null : java.util.regex.Pattern.compile(only);
    List<String> gens = Arrays.asList(generators.split(","));
    bench.jdkGenerator = gens.contains("jdk");
    bench.nettyGenerator = gens.contains("netty");
    bench.genThreads = genThreads;
    if (endpoint != null) {
      boolean raw = target.equals("raw");
      bench.ext = new External(endpoint.replaceAll("/+$", ""), raw,
          contender != null ? contender : raw ? "raw-echo" : "rivet4j", durability, pids);
      bench.quiet = quietShare;
      bench.runExternal();
      System.exit(bench.errors.isEmpty() ? 0 : 1);
    }
    bench.runAll();
    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    bench.printMarkdown(System.out, load, loadAfter);
    System.exit(bench.errors.isEmpty() ? 0 : 1);
  }

  // ------------------------------------------------------------------------------- scenarios

  void runAll() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    fsync = FsyncProbe.measure(tmp, 2000);
    log.printf(Locale.ROOT, "fsync p50 %d µs p99 %d µs%n", fsync.p50Micros(), fsync.p99Micros());
    results.append(results.row("net", "fsync", "machine")
        .put("generator", "FsyncProbe: 4 KiB append + force(false) in " + tmp)
        .put("load_generator", "java").put("p50_ms", fsync.p50Micros() / 1000.0)
        .put("p99_ms", fsync.p99Micros() / 1000.0).put("max_ms", fsync.maxMicros() / 1000.0)
        .put("errors", 0).put("samples", fsync.samples()));
    int inflight = connections * perConnection;
    String many = "ws-" + actors + "-actors";
    ExecutorService exec = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon()
        .name("bench-client-", 0).factory());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(exec).connectTimeout(Duration.ofSeconds(10)).build();
    try {
      // 1. the raw ceiling
      if (anySelected("raw", "ws-echo", "http-echo", "ws-echo-" + connections + "c",
          "ws-echo-" + actors + "c", "ws-echo-" + connections + "c-netty",
          "ws-echo-" + actors + "c-netty")) {
        try (EchoServer echo = EchoServer.start()) {
          URI ws = URI.create("ws://127.0.0.1:" + echo.port() + "/ws");
          URI post = URI.create("http://127.0.0.1:" + echo.port() + "/echo");
          row("ws-echo", "raw", () -> wsLoad("ws-echo", "raw", http, List.of(ws), false, 1, 1,
              null));
          row("http-echo", "raw", () -> httpSequential("http-echo", "raw", http, post, false,
              null));
          if (jdkGenerator) {
            row("ws-echo-" + connections + "c", "raw", () -> wsLoad("ws-echo-" + connections
                + "c", "raw", http, repeat(ws, connections), false, connections, inflight,
                null));
            // the same shape as the many-actors row: one socket per actor
            row("ws-echo-" + actors + "c", "raw", () -> wsLoad("ws-echo-" + actors + "c", "raw",
                http, repeat(ws, actors), false, connections, inflight, null));
          }
          if (nettyGenerator) {
            row("ws-echo-" + connections + "c-netty", "raw", () -> nettyLoad("ws-echo-"
                + connections + "c-netty", "raw", repeat(ws, connections), false, inflight,
                null));
            row("ws-echo-" + actors + "c-netty", "raw", () -> nettyLoad("ws-echo-" + actors
                + "c-netty", "raw", repeat(ws, actors), false, inflight, null));
          }
        }
      }
      // 2. Rivet4j in both modes
      for (Durability d : List.of(Durability.RELAXED, Durability.DURABLE)) {
        String mode = d.name().toLowerCase(Locale.ROOT);
        if (!anySelected(mode, "ws-action", "http-action", many, "ws-hot-actor",
            "client-ws-action", "client-http-action", many + "-netty", "ws-hot-actor-netty")) {
          continue;
        }
        try (BenchNode node = BenchNode.open(tmp, d, Duration.ofHours(1));
            RivetServer server = RivetServer.start(node.rivet,
                ServerConfig.defaults().withPort(0))) {
          String[] ids = node.createCounters("net-", actors, 256);
          String base = "http://127.0.0.1:" + server.port() + "/gateway/";
          Function<String, URI> connect = id -> URI.create("ws://127.0.0.1:" + server.port()
              + "/gateway/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/connect");
          URI action = URI.create(base + URLEncoder.encode(ids[0], StandardCharsets.UTF_8)
              + "/action/increment");
          row("ws-action", mode, () -> wsLoad("ws-action", mode, http,
              List.of(connect.apply(ids[0])), true, 1, 1, "ws-echo"));
          row("http-action", mode, () -> httpSequential("http-action", mode, http, action,
              true, "http-echo"));
          List<URI> perActor = new ArrayList<>();
          for (String id : ids) {
            perActor.add(connect.apply(id));
          }
          List<URI> hot = repeat(connect.apply(ids[1]), connections);
          if (jdkGenerator) {
            row(many, mode, () -> wsLoad(many, mode, http, perActor, true, connections, inflight,
                "ws-echo-" + actors + "c"));
            row("ws-hot-actor", mode, () -> wsLoad("ws-hot-actor", mode, http, hot, true,
                connections, inflight, "ws-echo-" + connections + "c"));
          }
          // the Java client (rivet4j-client) as a user would call: a connection, then HTTP
          if (anySelected(mode, "client-ws-action", "client-http-action")) {
            try (io.rivet4j.client.RivetClient client = io.rivet4j.client.RivetClient.builder()
                .endpoint("http://127.0.0.1:" + server.port()).build()) {
              var conn = client.connect(BenchNode.COUNTER, Key.of("net-2"));
              conn.ready().toCompletableFuture().get(10, TimeUnit.SECONDS);
              row("client-ws-action", mode, () -> sequential("client-ws-action", mode,
                  "WebSocket", () -> conn.action("increment", Long.class, 1L), "ws-echo"));
              conn.close();
              var handle = client.getForId(BenchNode.COUNTER, ids[3]);
              row("client-http-action", mode, () -> sequential("client-http-action", mode,
                  "HTTP", () -> handle.action("increment", Long.class, 1L), "http-echo"));
            }
          }
          if (nettyGenerator) {
            row(many + "-netty", mode, () -> nettyLoad(many + "-netty", mode, perActor, true,
                inflight, "ws-echo-" + actors + "c-netty"));
            row("ws-hot-actor-netty", mode, () -> nettyLoad("ws-hot-actor-netty", mode, hot,
                true, inflight, "ws-echo-" + connections + "c-netty"));
          }
        }
      }
    } finally {
      http.shutdownNow();
      exec.shutdownNow();
    }
  }

  private boolean selected(String scenario, String mode) {
    return only == null || only.matcher(scenario + " " + mode).find();
  }

  private boolean anySelected(String mode, String... scenarios) {
    for (String s : scenarios) {
      if (selected(s, mode)) {
        return true;
      }
    }
    return false;
  }

  /** Runs one row if {@code --only} selects it; a failure is recorded, not thrown. */
  private void row(String scenario, String mode, Body body) {
    if (selected(scenario, mode)) {
      safely(scenario + " " + mode, body);
    }
  }

  /**
   * The shapes of {@code benchmarks/js/bench.mjs} against a server in another process: one
   * socket sequential, HTTP sequential, one socket per actor and {@code connections} sockets on
   * one actor with {@code connections × perConnection} in flight; the last two (and their raw
   * rows) also with the Netty generator, under the same scenario names. {@code --only} matches
   * "scenario contender", the Netty rows' scenario with the suffix {@code -netty}.
   */
  void runExternal() throws Exception {
    int inflight = connections * perConnection;
    String name = ext.contender();
    ExecutorService exec = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon()
        .name("bench-client-", 0).factory());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(exec).connectTimeout(Duration.ofSeconds(10)).build();
    String wsBase = ext.endpoint().replaceFirst("^http", "ws");
    try {
      if (ext.raw()) {
        URI ws = URI.create(wsBase + "/ws");
        row("raw-ws-seq", name, () -> wsLoad("raw-ws-seq", name, http, List.of(ws), false, 1,
            1, null));
        row("raw-http-seq", name, () -> httpSequential("raw-http-seq", name, http,
            URI.create(ext.endpoint() + "/echo"), false, null));
        if (jdkGenerator) {
          row("raw-ws-64x1000", name, () -> wsLoad("raw-ws-64x1000", name, http,
              repeat(ws, actors), false, actors, inflight, null));
          row("raw-ws-hot", name, () -> wsLoad("raw-ws-hot", name, http,
              repeat(ws, connections), false, connections, inflight, null));
        }
        if (nettyGenerator) { // same scenario names, "load_generator":"java-netty"
          row("raw-ws-64x1000-netty", name, () -> nettyLoad("raw-ws-64x1000", name,
              repeat(ws, actors), false, inflight, null));
          row("raw-ws-hot-netty", name, () -> nettyLoad("raw-ws-hot", name,
              repeat(ws, connections), false, inflight, null));
        }
        return;
      }
      String[] ids = new String[actors + 1];
      try (RivetClient client = RivetClient.create(ext.endpoint())) {
        String prefix = "jbench-" + Long.toString(System.currentTimeMillis(), 36) + "-";
        ExecutorService creators = Executors.newVirtualThreadPerTaskExecutor();
        Semaphore gate = new Semaphore(16);
        List<Future<?>> created = new ArrayList<>();
        for (int i = 0; i <= actors; i++) {
          int k = i;
          gate.acquire();
          created.add(creators.submit(() -> {
            try {
              ids[k] = client.getOrCreate("counter", Key.of(prefix + k)).resolve();
            } finally {
              gate.release();
            }
          }));
        }
        for (var f : created) {
          f.get(5, TimeUnit.MINUTES);
        }
        creators.shutdown();
      }
      log.printf(Locale.ROOT, "%s: %d counters created%n", name, ids.length);
      Function<String, URI> connect = id -> URI.create(wsBase + "/gateway/"
          + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/connect");
      URI action = URI.create(ext.endpoint() + "/gateway/"
          + URLEncoder.encode(ids[0], StandardCharsets.UTF_8) + "/action/increment");
      List<URI> many = new ArrayList<>();
      for (int i = 0; i < actors; i++) {
        many.add(connect.apply(ids[i]));
      }
      List<URI> hot = repeat(connect.apply(ids[actors]), connections);
      row("ws-seq", name, () -> wsLoad("ws-seq", name, http, List.of(connect.apply(ids[0])),
          true, 1, 1, null));
      row("http-seq", name, () -> httpSequential("http-seq", name, http, action, true, null));
      if (jdkGenerator) {
        row("ws-64x1000", name, () -> wsLoad("ws-64x1000", name, http, many, true, actors,
            inflight, null));
        row("hot", name, () -> wsLoad("hot", name, http, hot, true, connections, inflight,
            null));
      }
      if (nettyGenerator) {
        row("ws-64x1000-netty", name, () -> nettyLoad("ws-64x1000", name, many, true, inflight,
            null));
        row("hot-netty", name, () -> nettyLoad("hot", name, hot, true, inflight, null));
      }
    } finally {
      http.shutdownNow();
      exec.shutdownNow();
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private void safely(String what, Body body) {
    try {
      body.run();
    } catch (Exception | AssertionError e) {
      errors.add(what + ": " + e);
      log.println("FAILED " + what + ": " + e);
      e.printStackTrace(log);
    }
  }

  private static List<URI> repeat(URI uri, int n) {
    List<URI> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(uri);
    }
    return out;
  }

  // ------------------------------------------------------------------------ WebSocket loops

  /**
   * Closed loop over one WebSocket per URI with {@code inflight} requests outstanding in total:
   * each reply starts the next request on the next socket, round-robin (so sequential when
   * {@code inflight == 1}). {@code rivet}: Rivet's subprotocols and Init, replies are
   * {@code ToClient}; otherwise an echo of the request bytes.
   */
  private void wsLoad(String scenario, String mode, HttpClient http, List<URI> uris,
      boolean rivet, int connsLabel, int inflight, String baseRow) throws Exception {
    log.printf(Locale.ROOT, "%s %s: %d sockets, %d in flight …%n", scenario, mode, uris.size(),
        inflight);
    WsDriver driver = new WsDriver(rivet, uris.size());
    try {
      driver.open(http, uris);
      driver.start(inflight);
      Histogram h = measure(driver.recorder, driver.ops);
      driver.stop();
      addRow(scenario, mode, "WebSocket", connsLabel == 1 ? 1 : uris.size(), inflight, h,
          driver.errors.get(), baseRow);
    } finally {
      driver.close();
    }
  }

  /**
   * The closed loop of {@link #wsLoad} with {@link NettyWsDriver} ({@code genThreads} event
   * loops) instead of the JDK client: same requests, same round-robin, same clock.
   */
  private void nettyLoad(String scenario, String mode, List<URI> uris, boolean rivet,
      int inflight, String baseRow) throws Exception {
    log.printf(Locale.ROOT, "%s %s: %d sockets, %d in flight (Netty generator) …%n", scenario,
        mode, uris.size(), inflight);
    try (NettyWsDriver driver = new NettyWsDriver(rivet, genThreads)) {
      nettyDescription = driver.describe();
      driver.open(uris);
      driver.start(inflight);
      Histogram h = measure(driver.recorder, driver.ops);
      driver.stop();
      if (driver.errors.get() > 0) {
        log.println("  first error: " + driver.firstError());
      }
      addRow(scenario, mode, "WebSocket", uris.size(), inflight, h, driver.errors.get(),
          baseRow, "Netty");
    }
  }

  private Histogram measure(Recorder recorder, AtomicLong ops) throws InterruptedException {
    Thread.sleep((long) (warmupS * 1000));
    awaitQuiet();
    recorder.getIntervalHistogram();
    long before = ops.get();
    CpuMeter window = CpuMeter.start(ext == null ? new long[0] : ext.serverPids());
    long t0 = System.nanoTime();
    Thread.sleep((long) (measureS * 1000));
    Histogram h = recorder.getIntervalHistogram();
    long elapsed = System.nanoTime() - t0;
    lastRate = (ops.get() - before) * 1e9 / elapsed;
    lastServerCores = window.serverCores();
    lastSelfCores = window.selfCores();
    lastOthers = window.othersShare();
    lastGenCores = window.generatorCores();
    return h;
  }

  private double lastRate;

  /**
   * The machine is shared: with {@code --quiet=SHARE}, extends the warm-up (load running) until
   * a 1 s window in which other processes used less than SHARE of all cores, at most 60 s.
   */
  private void awaitQuiet() throws InterruptedException {
    lastQuietWait = 0;
    if (!(quiet > 0)) {
      return;
    }
    long t0 = System.nanoTime();
    long[] pids = ext == null ? new long[0] : ext.serverPids();
    while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60)) {
      CpuMeter w = CpuMeter.start(pids);
      Thread.sleep(1000);
      double others = w.othersShare();
      if (Double.isNaN(others) || others < quiet) {
        break;
      }
    }
    lastQuietWait = Math.max(0, (System.nanoTime() - t0) / 1e9 - 1);
    if (lastQuietWait > 0.5) {
      log.printf(Locale.ROOT, "  waited %.1f s for others' CPU below %.0f%%%n", lastQuietWait,
          quiet * 100);
    }
  }

  private void addRow(String scenario, String mode, String transport, int conns, int inflight,
      Histogram h, long errs, String baseRow) {
    addRow(scenario, mode, transport, conns, inflight, h, errs, baseRow, "JDK");
  }

  private void addRow(String scenario, String mode, String transport, int conns, int inflight,
      Histogram h, long errs, String baseRow, String generator) {
    // in-process: the generator's threads vs the rest of the JVM; external: this JVM vs the
    // server's processes
    double gen = ext == null ? lastGenCores : lastSelfCores;
    double rest = ext == null ? lastSelfCores - lastGenCores : lastServerCores;
    Row r = new Row(scenario, mode, transport, conns, inflight,
        h.getValueAtPercentile(50) / 1000, h.getValueAtPercentile(99) / 1000,
        h.getValueAtPercentile(99.9) / 1000, lastRate, errs, baseRow,
        h.getValueAtPercentile(90) / 1000, h.getMaxValue() / 1000, h.getTotalCount(),
        generator, gen, rest, lastOthers);
    rows.add(r);
    try {
      appendJson(r, h);
    } catch (UncheckedIOException e) {
      errors.add(e.getMessage());
    }
    log.printf(Locale.ROOT, "  p50 %d µs p99 %d µs p99.9 %d µs, %.0f ops/s, %d errors;"
            + " CPU: generator %.2f, %s %.2f cores, others %.0f%%%n",
        r.p50Us(), r.p99Us(), r.p999Us(), r.opsPerSec(), errs, gen,
        ext == null ? "rest of JVM" : "server", rest, lastOthers * 100);
    if (errs > 0) {
      errors.add(scenario + " " + mode + ": " + errs + " failed requests");
    }
  }

  /** The sockets of one WebSocket scenario and their closed loop. */
  private static final class WsDriver {
    final boolean rivet;
    final Sock[] socks;
    final Recorder recorder = new Recorder(3);
    final AtomicLong ops = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicInteger next = new AtomicInteger();
    volatile boolean running;
    final AtomicInteger outstanding = new AtomicInteger();

    WsDriver(boolean rivet, int n) {
      this.rivet = rivet;
      this.socks = new Sock[n];
    }

    void open(HttpClient http, List<URI> uris) throws Exception {
      int batch = 64;
      for (int from = 0; from < uris.size(); from += batch) {
        List<CompletableFuture<?>> opening = new ArrayList<>();
        for (int i = from; i < Math.min(uris.size(), from + batch); i++) {
          Sock s = new Sock(this);
          socks[i] = s;
          WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
          if (rivet) {
            b.subprotocols("rivet", "rivet_encoding.bare");
          }
          opening.add(b.buildAsync(uris.get(i), s).thenAccept(ws -> s.ws = ws));
          if (!rivet) {
            s.ready.countDown();
          }
        }
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new))
            .get(30, TimeUnit.SECONDS);
      }
      for (Sock s : socks) {
        if (!s.ready.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("no Init within 30 s");
        }
        s.sendChain = CompletableFuture.completedFuture(s.ws);
      }
    }

    void start(int inflight) {
      running = true;
      for (int i = 0; i < inflight; i++) {
        sendNext();
      }
    }

    void sendNext() {
      if (!running) {
        return;
      }
      outstanding.incrementAndGet();
      socks[Math.floorMod(next.getAndIncrement(), socks.length)].send();
    }

    void stop() throws InterruptedException {
      running = false;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (outstanding.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }

    void close() {
      for (Sock s : socks) {
        if (s != null && s.ws != null) {
          s.ws.abort();
        }
      }
    }
  }

  /** One WebSocket: sends are chained (the JDK allows one outstanding send per socket). */
  private static final class Sock implements WebSocket.Listener {
    private static final int RING = 4096;
    final WsDriver d;
    final CountDownLatch ready = new CountDownLatch(1);
    final long[] started = new long[RING];
    volatile WebSocket ws;
    CompletableFuture<WebSocket> sendChain; // [this]
    long nextId; // [this]
    private ByteArrayOutputStream partial;

    Sock(WsDriver d) {
      this.d = d;
    }

    void send() {
      synchronized (this) {
        long id = nextId++;
        byte[] frame = BARE.encode(new ToServer.ActionRequest(id, "increment", ONE));
        started[(int) (id % RING)] = System.nanoTime();
        sendChain = sendChain.thenCompose(w -> w.sendBinary(ByteBuffer.wrap(frame), true));
      }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes;
      if (partial == null && last) {
        bytes = new byte[data.remaining()];
        data.get(bytes);
      } else {
        if (partial == null) {
          partial = new ByteArrayOutputStream();
        }
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partial.writeBytes(chunk);
        if (!last) {
          return null;
        }
        bytes = partial.toByteArray();
        partial = null;
      }
      onMessage(bytes);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      d.errors.incrementAndGet();
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      if (d.running) {
        d.errors.incrementAndGet();
      }
    }

    private void onMessage(byte[] bytes) {
      long now = System.nanoTime();
      long id;
      boolean ok;
      try {
        if (d.rivet) {
          ToClient m = BARE.decodeToClient(bytes);
          if (m instanceof ToClient.Init) {
            ready.countDown();
            return;
          }
          if (m instanceof ToClient.Event) {
            return; // not subscribed; ignored if ever sent
          }
          ok = m instanceof ToClient.ActionResponse;
          id = m instanceof ToClient.ActionResponse r ? r.id()
              : m instanceof ToClient.Error e && e.actionId().isPresent()
                  ? e.actionId().getAsLong() : -1;
        } else {
          ToServer m = BARE.decodeToServer(bytes);
          ok = m instanceof ToServer.ActionRequest;
          id = m instanceof ToServer.ActionRequest r ? r.id() : -1;
        }
      } catch (RuntimeException e) {
        ok = false;
        id = -1;
      }
      if (ok) {
        d.recorder.recordValue(Math.max(0, now - started[(int) (id % RING)]));
        d.ops.incrementAndGet();
      } else {
        d.errors.incrementAndGet();
      }
      d.outstanding.decrementAndGet();
      d.sendNext();
    }
  }

  /**
   * One line in the format of {@code benchmarks/js/bench.mjs}: suite {@code js} against an
   * external server (server CPU from its pids), {@code net} for the one-JVM run (the JVM's CPU is
   * both server and generator: {@code jvm_cpu_cores}).
   */
  private void appendJson(Row r, Histogram h) {
    if (!results.enabled()) {
      return;
    }
    boolean seq = r.inflight() == 1;
    boolean netty = r.generator().equals("Netty");
    boolean raw = ext != null ? ext.raw() : r.mode().equals("raw");
    boolean manyActors = ext != null ? r.scenario().equals("ws-64x1000")
        : r.scenario().startsWith("ws-" + actors + "-actors");
    String contender = ext != null ? ext.contender()
        : raw ? "raw-echo" : "rivet4j-" + r.mode();
    String durability = ext != null ? ext.durability() : raw ? "" : r.mode();
    JsonlResults.Row row = results.row(ext != null ? "js" : "net", r.scenario(), contender)
        .put("durability", durability.isEmpty() ? null : durability)
        .put("generator", netty ? "NetworkBench, NettyWsDriver (" + nettyDescription + ")"
            : (r.scenario().startsWith("client-") ? "rivet4j-client" : "NetworkBench")
                + ", java.net.http (JDK " + Runtime.version() + ")")
        .put("load_generator", netty ? "java-netty" : "java")
        .put("transport", r.transport().equals("HTTP") ? "http" : "websocket")
        .put("actors", raw ? null : seq || !manyActors ? 1 : actors)
        .put("connections", r.conns()).put("in_flight", r.inflight())
        .windows(warmupS, measureS)
        .put("quiet_wait_s", JsonlResults.round(lastQuietWait, 1))
        .put("ops_per_s", JsonlResults.round(r.opsPerSec(), 1))
        .latency(h)
        .put("errors", r.errors());
    if (ext != null) {
      row.put("server_cpu_cores", JsonlResults.round(lastServerCores, 2))
          .put("generator_cpu_cores", JsonlResults.round(lastSelfCores, 2));
    } else {
      row.put("jvm_cpu_cores", JsonlResults.round(lastSelfCores, 2))
          .put("generator_cpu_cores", JsonlResults.round(r.genCores(), 2))
          .put("server_cpu_cores", JsonlResults.round(r.restCores(), 2)) // the rest of the JVM
          .put("pinning", "none (server and generator in one JVM)");
    }
    results.append(row.put("others_cpu_share", JsonlResults.round(lastOthers, 2)));
  }

  // ----------------------------------------------------------------------------- HTTP loop

  /** Sequential POSTs on one keep-alive connection of the JDK client (HTTP/1.1). */
  private void httpSequential(String scenario, String mode, HttpClient http, URI uri,
      boolean rivet, String baseRow) throws Exception {
    log.printf(Locale.ROOT, "%s %s: sequential POST …%n", scenario, mode);
    Recorder recorder = new Recorder(3);
    AtomicLong ops = new AtomicLong();
    AtomicLong errs = new AtomicLong();
    byte[] body = rivet ? BARE.encode(new HttpActionRequest(ONE))
        : BARE.encode(new ToServer.ActionRequest(0, "increment", ONE));
    HttpRequest req = HttpRequest.newBuilder(uri)
        .header("x-rivet-encoding", "bare")
        .header("Content-Type", Encoding.BARE.contentType())
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    var running = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread t = Thread.ofPlatform().name("bench-http").start(() -> {
      while (running.get()) {
        long t0 = System.nanoTime();
        try {
          HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
          long t1 = System.nanoTime();
          boolean ok = res.statusCode() == 200;
          if (ok) {
            if (rivet) {
              HttpActionResponse r = BARE.decodeHttpActionResponse(res.body());
              ok = r.output() instanceof Number;
            } else {
              ok = BARE.decodeToServer(res.body()) instanceof ToServer.ActionRequest;
            }
          }
          if (ok) {
            recorder.recordValue(t1 - t0);
            ops.incrementAndGet();
          } else {
            errs.incrementAndGet();
          }
        } catch (Exception e) {
          errs.incrementAndGet();
          if (e instanceof InterruptedException) {
            return;
          }
        }
      }
    });
    Histogram h;
    try {
      h = measure(recorder, ops);
    } finally {
      running.set(false);
      t.join(10_000);
    }
    addRow(scenario, mode, "HTTP", 1, 1, h, errs.get(), baseRow);
  }

  /** One caller in a loop on {@code call}, e.g. a client library's blocking action. */
  private void sequential(String scenario, String mode, String transport,
      java.util.concurrent.Callable<?> call, String baseRow) throws Exception {
    log.printf(Locale.ROOT, "%s %s: sequential calls …%n", scenario, mode);
    Recorder recorder = new Recorder(3);
    AtomicLong ops = new AtomicLong();
    AtomicLong errs = new AtomicLong();
    var running = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread t = Thread.ofPlatform().name("bench-seq").start(() -> {
      while (running.get()) {
        long t0 = System.nanoTime();
        try {
          call.call();
          recorder.recordValue(System.nanoTime() - t0);
          ops.incrementAndGet();
        } catch (Exception e) {
          errs.incrementAndGet();
        }
      }
    });
    Histogram h;
    try {
      h = measure(recorder, ops);
    } finally {
      running.set(false);
      t.join(10_000);
    }
    addRow(scenario, mode, transport, 1, 1, h, errs.get(), baseRow);
  }

  // ------------------------------------------------------------------------ echo servers

  /**
   * Bare Netty echo: {@code GET /ws} upgrades to a WebSocket that echoes binary frames, any
   * other request gets its body back. Bootstrap options as {@code NettyServer}'s: one boss
   * loop, default worker loops (epoll, or NIO where it does not load), TCP_NODELAY,
   * SO_KEEPALIVE, backlog 1024.
   */
  static final class EchoServer implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;

    private EchoServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
      this.boss = boss;
      this.workers = workers;
      this.channel = channel;
    }

    static EchoServer start() {
      return start(0);
    }

    /** Binds 127.0.0.1:{@code port} ({@code 0}: any free port). */
    static EchoServer start(int port) {
      // the transport RivetServer picks: native epoll where it loads
      boolean epoll = io.netty.channel.epoll.Epoll.isAvailable()
          && !"nio".equalsIgnoreCase(System.getProperty("rivet4j.transport",
              System.getenv("RIVET_TRANSPORT")));
      io.netty.channel.IoHandlerFactory transport = epoll
          ? io.netty.channel.epoll.EpollIoHandler.newFactory() : NioIoHandler.newFactory();
      EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, transport);
      EventLoopGroup workers = new MultiThreadIoEventLoopGroup(transport);
      ServerBootstrap b = new ServerBootstrap()
          .group(boss, workers)
          .channel(epoll ? io.netty.channel.epoll.EpollServerSocketChannel.class
              : NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ChannelPipeline p = ch.pipeline();
              p.addLast(new HttpServerCodec());
              p.addLast(new HttpServerKeepAliveHandler());
              p.addLast(new HttpObjectAggregator(1024 * 1024));
              p.addLast(new WebSocketServerProtocolHandler("/ws", null, false, 64 * 1024));
              p.addLast(new WsEcho());
              p.addLast(new HttpEcho());
            }
          });
      Channel ch = b.bind("127.0.0.1", port).syncUninterruptibly().channel();
      return new EchoServer(boss, workers, ch);
    }

    int port() {
      return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
      channel.close().syncUninterruptibly();
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static final class WsEcho extends SimpleChannelInboundHandler<BinaryWebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame frame) {
      ctx.writeAndFlush(new BinaryWebSocketFrame(frame.content().retain()));
    }
  }

  private static final class HttpEcho extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      ByteBuf body = Unpooled.copiedBuffer(req.content());
      FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.OK, body);
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
      res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      HttpUtil.setKeepAlive(res, HttpUtil.isKeepAlive(req));
      ctx.writeAndFlush(res);
    }
  }

  // ------------------------------------------------------------------------------- report

  private Row find(String scenario, String mode) {
    for (Row r : rows) {
      if (r.scenario().equals(scenario) && r.mode().equals(mode)) {
        return r;
      }
    }
    return null;
  }

  void printMarkdown(PrintStream out, double loadBefore, double loadAfter) {
    out.printf(Locale.ROOT, "# Network benchmark%n%n");
    out.printf(Locale.ROOT, "warm-up %.1f s, measure %.1f s per row; %d actors; %d connections x"
            + " %d in flight for throughput rows; JDK %s; %d CPUs; load average %.2f -> %.2f%n%n",
        warmupS, measureS, actors, connections, perConnection, Runtime.version(),
        Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
    out.printf(Locale.ROOT, "fsync (FsyncProbe, 2,000 x 4 KiB + force): p50 %d µs, p99 %d µs,"
        + " max %d µs%n%n", fsync.p50Micros(), fsync.p99Micros(), fsync.maxMicros());
    out.printf(Locale.ROOT, "Generators: JDK = java.net.http HttpClient/WebSocket (2-thread"
        + " executor); Netty = NettyWsDriver (%s), rows suffixed -netty. CPU columns: cores used"
        + " in the measured window by the generator's threads and by the rest of this JVM (the"
        + " server, GC, JIT); others = share of the machine used by other processes.%n%n",
        nettyDescription.isEmpty() ? "not run" : nettyDescription);
    out.println("| scenario | mode | generator | transport | sockets | in flight | p50 µs | p99 µs"
        + " | p99.9 µs | ops/s | ratio to raw (p50 / ops/s) | generator CPU | rest of JVM CPU"
        + " | others' CPU | errors |");
    out.println("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      String ratio = "—";
      Row b = r.base() == null ? null : find(r.base(), "raw");
      if (b != null) {
        ratio = r.inflight() == 1
            ? String.format(Locale.ROOT, "%.2f× p50", (double) r.p50Us() / Math.max(1, b.p50Us()))
            : String.format(Locale.ROOT, "%.2f× ops/s", r.opsPerSec() / b.opsPerSec());
      }
      out.printf(Locale.ROOT, "| %s | %s | %s | %s | %d | %d | %d | %d | %d | %,.0f | %s | %s"
              + " | %s | %s | %d |%n", r.scenario(), r.mode(), r.generator(), r.transport(),
          r.conns(), r.inflight(), r.p50Us(), r.p99Us(), r.p999Us(), r.opsPerSec(), ratio,
          cores(r.genCores()), cores(r.restCores()), share(r.others()), r.errors());
    }
    out.println();
    out.println("| target | measured | goal | met |");
    out.println("|---|---:|---:|---|");
    Row wsRaw = find("ws-echo", "raw");
    Row httpRaw = find("http-echo", "raw");
    for (String mode : List.of("relaxed", "durable")) {
      Row ws = find("ws-action", mode);
      Row http = find("http-action", mode);
      // throughput goals: the Netty generator's rows where they ran (the JDK client takes more
      // than half of the two cores), else the JDK rows
      Row manyJdk = find("ws-" + actors + "-actors", mode);
      Row hotJdk = find("ws-hot-actor", mode);
      Row manyNetty = find("ws-" + actors + "-actors-netty", mode);
      Row hotNetty = find("ws-hot-actor-netty", mode);
      Row many = manyNetty != null ? manyNetty : manyJdk;
      Row hot = hotNetty != null ? hotNetty : hotJdk;
      boolean relaxed = mode.equals("relaxed");
      if (ws != null && wsRaw != null) {
        if (relaxed) {
          target(out, "WS action p50 ≤ 1.5× raw WS echo p50 (" + mode + ")", ws.p50Us() + " µs",
              "≤ " + Math.round(1.5 * wsRaw.p50Us()) + " µs", ws.p50Us() <= 1.5 * wsRaw.p50Us());
          target(out, "WS action p99 ≤ 250 µs (" + mode + ")", ws.p99Us() + " µs", "≤ 250 µs",
              ws.p99Us() <= 250);
        } else {
          long goal = wsRaw.p50Us() + 2 * fsync.p50Micros();
          target(out, "WS increment p50 ≤ raw p50 + 2 × fsync p50 (durable)", ws.p50Us() + " µs",
              "≤ " + goal + " µs", ws.p50Us() <= goal);
        }
      }
      if (http != null && httpRaw != null) {
        if (relaxed) {
          target(out, "HTTP action p50 ≤ 2× raw HTTP echo p50 (" + mode + ")",
              http.p50Us() + " µs", "≤ " + 2 * httpRaw.p50Us() + " µs",
              http.p50Us() <= 2 * httpRaw.p50Us());
        } else {
          long goal = httpRaw.p50Us() + 2 * fsync.p50Micros();
          target(out, "HTTP increment p50 ≤ raw HTTP p50 + 2 × fsync p50 (durable)",
              http.p50Us() + " µs", "≤ " + goal + " µs", http.p50Us() <= goal);
        }
      }
      if (many != null) {
        double goal = relaxed ? 60_000 : 15_000;
        target(out, "actions/s, " + actors + " actors (" + mode + ")",
            throughput(many, many == manyNetty ? manyJdk : null),
            String.format(Locale.ROOT, "≥ %,.0f", goal), many.opsPerSec() >= goal);
      }
      if (hot != null) {
        double goal = relaxed ? 25_000 : 10_000;
        target(out, "hot actor actions/s (" + mode + ")",
            throughput(hot, hot == hotNetty ? hotJdk : null),
            String.format(Locale.ROOT, "≥ %,.0f", goal), hot.opsPerSec() >= goal);
      }
    }
    Row clientWs = find("client-ws-action", "relaxed");
    Row clientHttp = find("client-http-action", "relaxed");
    if (clientWs != null && wsRaw != null) { // issue: the Java client's own numbers
      target(out, "Java client WS action p50 ≤ 1.5× raw WS echo p50 (relaxed)",
          clientWs.p50Us() + " µs", "≤ " + Math.round(1.5 * wsRaw.p50Us()) + " µs",
          clientWs.p50Us() <= 1.5 * wsRaw.p50Us());
      target(out, "Java client WS action p99 ≤ 250 µs (relaxed)", clientWs.p99Us() + " µs",
          "≤ 250 µs", clientWs.p99Us() <= 250);
    }
    if (clientHttp != null && httpRaw != null) {
      target(out, "Java client HTTP action p50 ≤ 2× raw HTTP echo p50 (relaxed)",
          clientHttp.p50Us() + " µs", "≤ " + 2 * httpRaw.p50Us() + " µs",
          clientHttp.p50Us() <= 2 * httpRaw.p50Us());
    }
    if (!errors.isEmpty()) {
      out.println();
      out.println("Errors:");
      for (String e : errors) {
        out.println("- " + e);
      }
    }
  }

  /**
   * "63,012 /s (Netty generator 0.62 cores, rest of JVM 1.31; JDK generator: 55,100 /s)": which
   * generator measured the number and how the two cores were split.
   */
  private static String throughput(Row r, Row jdk) {
    String s = String.format(Locale.ROOT, "%,.0f /s (%s generator %s cores, rest of JVM %s",
        r.opsPerSec(), r.generator(), cores(r.genCores()), cores(r.restCores()));
    if (jdk != null) {
      s += String.format(Locale.ROOT, "; JDK generator: %,.0f /s", jdk.opsPerSec());
    }
    return s + ")";
  }

  private static String cores(double v) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String share(double v) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.0f%%", v * 100);
  }

  private static void target(PrintStream out, String name, String measured, String goal,
      boolean met) {
    out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", name, measured, goal,
        met ? "yes" : "**no**");
  }
}
