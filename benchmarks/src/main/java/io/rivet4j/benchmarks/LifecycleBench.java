package io.rivet4j.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorClient;
import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.examples.chatroom.ChatRoomActor;
import io.rivet4j.examples.chatroom.ChatRoomConfig;
import io.rivet4j.examples.counter.CounterActor;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import io.rivet4j.runtime.RuntimeListener;
import io.rivet4j.runtime.internal.LocalConn;
import io.rivet4j.runtime.store.EmbeddedStore;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Lifecycle, fan-out, chat, startup and memory benchmark: cold creates (with and without an actor
 * database), wakes from sleep, in-process event fan-out to 1,000 connections, the chat room's
 * {@code sendMessage}, the startup time and idle RSS of a server process, and the memory of idle
 * WebSockets. Each scenario prints a markdown table and a target table; results go to standard
 * output (and, with {@code --jsonl=FILE} or {@code $BENCH_RESULTS_JSONL}, one JSON line per row,
 * suite {@code lifecycle}: {@link JsonlResults}), progress to standard error. Exit code 1 only
 * when a call failed, never for a timing.
 *
 * <p>In-process scenarios run on a fresh node in a new directory (deleted afterwards), durable
 * unless stated. {@code startup} and {@code ws-memory} run {@link LifecycleServer} in a child JVM;
 * their "others' CPU" excludes that child.
 *
 * <pre>
 * java -cp … io.rivet4j.benchmarks.LifecycleBench [--smoke] [options] [scenario…]
 * </pre>
 */
public final class LifecycleBench {
  static final List<String> ALL = List.of("create", "create-db", "wake", "wake-db", "broadcast",
      "chat", "a2a", "startup", "ws-memory");

  static final String COUNTER = "counter";
  /** An actor with a one-table database whose action counts the table's rows. */
  static final String DB_ACTOR = "dbCounter";
  static final String CHAT_ROOM = "chatRoom";
  /** An actor whose action calls a counter through {@code c.client()} and times that call. */
  static final String CALLER = "caller";
  /** The JVM flags of {@code scripts/serve.sh}, then a small-footprint alternative. */
  static final List<String> DEFAULT_CHILD_FLAGS = List.of("-XX:+UseG1GC",
      "-XX:+UseSerialGC -Xms32m");
  private static final long HIGHEST = TimeUnit.SECONDS.toNanos(120);
  private static final ProtocolCodec BARE = ProtocolCodec.of(Encoding.BARE);
  private static final Pattern HISTO_LINE =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
  private static final String WS_SESSION = "io.rivet4j.server.internal.WebSocketSession";

  static final String USAGE = """
      usage: LifecycleBench [options] [scenario…]
        scenarios: create create-db wake wake-db broadcast chat startup ws-memory (none: all)
        --smoke              each scenario about a second; exit code 1 only on errors
        --warmup=SEC         warm-up per measured loop (default 1)
        --measure=SEC        measured time per loop (default 5)
        --creators=N         concurrent creators (default 64)
        --wake-actors=N      actors put to sleep and woken per round (default 2000)
        --fanout=N           subscribed connections of the broadcast scenario (default 1000)
        --startups=N         child JVM starts per flag set (default 3)
        --ws-connections=N   idle WebSockets of ws-memory (default 10000)
        --ws-actors=N        actors those WebSockets are spread over (default 100)
        --child-flags=A;B    JVM flag sets of the child server, ';'-separated
                             (default: -XX:+UseG1GC;-XX:+UseSerialGC -Xms32m); ws-memory
                             uses the first
        --data-dir=PATH      parent of the per-run node directories (default java.io.tmpdir)
      """;

  /**
   * Options.
   *
   * @param idle how long the started server idles before its RSS is read
   */
  record Options(boolean smoke, Duration warmup, Duration measure, int creators, int wakeActors,
      int fanout, int startups, int wsConnections, int wsActors, List<String> childFlags,
      Path dataDir, Duration idle) {
    static Options parse(String[] args, List<String> scenarios) {
      boolean smoke = Arrays.asList(args).contains("--smoke");
      Duration warmup = smoke ? Duration.ofMillis(200) : Duration.ofSeconds(1);
      Duration measure = smoke ? Duration.ofMillis(500) : Duration.ofSeconds(5);
      int creators = 64;
      int wakeActors = smoke ? 200 : 2000;
      int fanout = 1000;
      int startups = smoke ? 1 : 3;
      int wsConnections = smoke ? 500 : 10_000;
      int wsActors = smoke ? 10 : 100;
      List<String> flags = DEFAULT_CHILD_FLAGS;
      Path dataDir = Path.of(System.getProperty("java.io.tmpdir"));
      for (String a : args) {
        if (a.equals("--smoke") || a.equals("lifecycle")) {
          continue;
        }
        if (a.equals("-h") || a.equals("--help")) {
          throw new IllegalArgumentException(USAGE);
        }
        if (!a.startsWith("--")) {
          scenarios.add(a);
          continue;
        }
        int eq = a.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("option " + a + " needs a value\n" + USAGE);
        }
        String v = a.substring(eq + 1);
        switch (a.substring(2, eq)) {
          case "warmup" -> warmup = seconds(v);
          case "measure" -> measure = seconds(v);
          case "creators" -> creators = positive(a, v);
          case "wake-actors" -> wakeActors = positive(a, v);
          case "fanout" -> fanout = positive(a, v);
          case "startups" -> startups = positive(a, v);
          case "ws-connections" -> wsConnections = positive(a, v);
          case "ws-actors" -> wsActors = positive(a, v);
          case "child-flags" -> flags = List.of(v.split(";"));
          case "data-dir" -> dataDir = Path.of(v);
          default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
        }
      }
      return new Options(smoke, warmup, measure, creators, wakeActors, fanout, startups,
          wsConnections, wsActors, flags, dataDir,
          smoke ? Duration.ofMillis(300) : Duration.ofSeconds(2));
    }

    private static Duration seconds(String v) {
      return Duration.ofNanos((long) (Double.parseDouble(v) * 1e9));
    }

    private static int positive(String option, String v) {
      int n = Integer.parseInt(v);
      if (n < 1) {
        throw new IllegalArgumentException(option + " must be ≥ 1");
      }
      return n;
    }
  }

  /** A goal of the issue, as measured. */
  record Target(String what, String measured, String goal, boolean met) {}

  /** One scenario's markdown and targets. */
  record Section(String scenario, String markdown, List<Target> targets) {}

  private final Options o;
  private final PrintStream log;
  private final List<Section> sections = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final JsonlResults results;

  LifecycleBench(Options o, PrintStream log) {
    this(o, log, JsonlResults.none());
  }

  LifecycleBench(Options o, PrintStream log, JsonlResults results) {
    this.o = o;
    this.log = log;
    this.results = results;
  }

  public static void main(String[] args) {
    List<String> names = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    JsonlResults results = JsonlResults.fromArgs(args, rest);
    Options o = Cli.parseOrExit(rest, Options::parse, names, ALL, USAGE);
    double loadBefore = loadAverage();
    LifecycleBench bench = new LifecycleBench(o, System.err, results);
    bench.run(names);
    bench.printMarkdown(System.out, loadBefore, loadAverage());
    System.exit(bench.errors.isEmpty() ? 0 : 1);
  }

  void run(List<String> names) {
    for (String name : names) {
      long t0 = System.nanoTime();
      log.printf(Locale.ROOT, "# %s (load %.2f) …%n", name, loadAverage());
      try {
        Section s = switch (name) {
          case "create" -> create(name, COUNTER, "getCount");
          case "create-db" -> create(name, DB_ACTOR, "count");
          case "wake" -> wake(name, COUNTER, "getCount");
          case "wake-db" -> wake(name, DB_ACTOR, "count");
          case "broadcast" -> broadcast();
          case "chat" -> chat();
          case "a2a" -> actorToActor();
          case "startup" -> startup();
          case "ws-memory" -> wsMemory();
          default -> throw new IllegalArgumentException(name);
        };
        sections.add(s);
      } catch (Exception | AssertionError e) {
        e.printStackTrace(log);
        errors.add(name + ": " + e);
      }
      log.printf(Locale.ROOT, "# %s done in %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
    }
  }

  List<String> errors() {
    return errors;
  }

  List<Section> sections() {
    return sections;
  }

  // ------------------------------------------------------------------------------ nodes

  /** A fresh node with the counter, the database actor and the chat room, idle sleep 1 h. */
  static final class LifeNode implements AutoCloseable {
    final Path dir;
    final MeteredStore store;
    final RivetRuntime rivet;
    /** One permit per actor that finished sleeping. */
    final Semaphore slept = new Semaphore(0);
    /** Starts of existing actors (wakes). */
    final LongAdder woken = new LongAdder();

    LifeNode(Path parent, Durability durability) {
      try {
        Files.createDirectories(parent);
        dir = Files.createTempDirectory(parent, "rivet4j-life-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Registry registry = Registry.builder()
          .actor(CounterActor.definition().sleepTimeout(Duration.ofHours(1)))
          .actor(dbActor().sleepTimeout(Duration.ofHours(1)))
          .actor(ChatRoomActor.definition(ChatRoomConfig.defaults())
              .sleepTimeout(Duration.ofHours(1)))
          .actor(Actor.<Void>builder(CALLER)
              // the nanoseconds of one blocking call to another actor on this node
              .action("timeCall", (c, args) -> {
                ActorHandle target = c.client().getForId(COUNTER, args.get(0, String.class));
                long t0 = System.nanoTime();
                target.action("getCount", Long.class);
                return System.nanoTime() - t0;
              })
              .sleepTimeout(Duration.ofHours(1)))
          .build();
      RuntimeListener listener = new RuntimeListener() {
        @Override
        public void actorSlept(String name, Key key, String actorId) {
          slept.release();
        }

        @Override
        public void actorStarted(String name, Key key, String actorId, boolean created) {
          if (!created) {
            woken.increment();
          }
        }
      };
      store = new MeteredStore(EmbeddedStore.open(dir));
      rivet = RivetRuntime.start(registry, RuntimeConfig.builder(dir).durability(durability)
          .listener(listener).build(), store);
    }

    ActorClient client() {
      return rivet.client();
    }

    long failedCommits() {
      return store.counters().failed();
    }

    @Override
    public void close() {
      try {
        rivet.close(Duration.ofSeconds(120));
      } finally {
        BenchNode.deleteTree(dir);
      }
    }
  }

  /** One table, created by the migration; the action reads it. */
  static Actor<Void> dbActor() {
    return Actor.<Void>builder(DB_ACTOR)
        .onMigrate(db -> db.execute("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY,"
            + " body TEXT NOT NULL)"))
        .action("count", (c, args) -> ((Number) c.db().execute("SELECT count(*) AS n FROM items")
            .get(0).get("n")).longValue());
  }

  // ------------------------------------------------------------------------------ create

  Section create(String scenario, String name, String action) throws Exception {
    List<Row> rows = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    try (LifeNode node = new LifeNode(o.dataDir(), Durability.DURABLE)) {
      ActorClient client = node.client();
      Errors err = new Errors();
      // sequential: getOrCreate(new key) + first action, one at a time
      sequential(o.warmup(), null, err, i -> client.getOrCreate(name, Key.of("w-" + i))
          .action(action, Long.class));
      Histogram h = new Histogram(HIGHEST, 3);
      Window w = Window.start();
      long n = sequential(o.measure(), h, err, i -> client.getOrCreate(name, Key.of("s-" + i))
          .action(action, Long.class));
      w.stop();
      rows.add(new Row("sequential", "durable", 1, h, n / w.seconds(), "creates/s",
          err.count(), w));
      log.printf(Locale.ROOT, "  sequential: p50 %.3f ms p99 %.3f ms, %,.0f /s%n", ms(h, 50),
          ms(h, 99), n / w.seconds());

      // concurrent: o.creators() threads creating new keys in a closed loop
      Errors cerr = new Errors();
      Recorder rec = new Recorder(HIGHEST, 3);
      LongAdder done = new LongAdder();
      AtomicLong keys = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
      for (int c = 0; c < o.creators(); c++) {
        exec.execute(() -> {
          while (!stop.get()) {
            long k = keys.getAndIncrement();
            long t0 = System.nanoTime();
            try {
              client.getOrCreate(name, Key.of("p-" + k)).action(action, Long.class);
              rec.recordValue(Math.min(HIGHEST, System.nanoTime() - t0));
              done.increment();
            } catch (RuntimeException e) {
              cerr.add(e);
            }
          }
        });
      }
      pause(o.warmup());
      rec.reset();
      long d0 = done.sum();
      Window cw = Window.start();
      pause(o.measure());
      long created = done.sum() - d0;
      cw.stop();
      Histogram ch = rec.getIntervalHistogram();
      stop.set(true);
      exec.shutdown();
      if (!exec.awaitTermination(120, TimeUnit.SECONDS)) {
        cerr.add(new IllegalStateException("creators still running 120 s after the window"));
      }
      rows.add(new Row(o.creators() + " concurrent", "durable", o.creators(), ch,
          created / cw.seconds(), "creates/s", cerr.count(), cw));
      log.printf(Locale.ROOT, "  %d concurrent: %,.0f creates/s, p50 %.3f ms p99 %.3f ms%n",
          o.creators(), created / cw.seconds(), ms(ch, 50), ms(ch, 99));
      long failed = node.failedCommits();
      check(scenario, err, cerr, failed);
      String what = name.equals(COUNTER) ? "cold create + first action" : "cold create with a"
          + " database + first query";
      targets.add(new Target(what + ", p50", fmtMs(ms(h, 50)), "≤ 2 ms", ms(h, 50) <= 2));
      targets.add(new Target(what + ", p99", fmtMs(ms(h, 99)), "—", true));
      targets.add(new Target(what + ", " + o.creators() + " concurrent creators",
          String.format(Locale.ROOT, "%,.0f /s", created / cw.seconds()), "≥ 2,000 /s",
          created / cw.seconds() >= 2000));
    }
    String title = name.equals(COUNTER)
        ? "Cold create: `getOrCreate(new key)` + `getCount()` on the counter (durable)"
        : "Cold create with a database: `getOrCreate(new key)` + `count()` (`onMigrate` creates"
            + " one table; the action runs `SELECT count(*)` on it; durable)";
    return new Section(scenario, title + "\n\n" + table(scenario, rows), targets);
  }

  // ------------------------------------------------------------------------------ wake

  Section wake(String scenario, String name, String action) throws Exception {
    List<Row> rows = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    int n = o.wakeActors();
    long rounds = 0;
    try (LifeNode node = new LifeNode(o.dataDir(), Durability.DURABLE)) {
      ActorClient client = node.client();
      String[] ids = createMany(client, name, action, "wk-", n);
      List<ActorHandle> handles = new ArrayList<>(n);
      for (String id : ids) {
        handles.add(client.getForId(name, id));
      }
      Errors err = new Errors();
      // warm-up rounds (at least one): sleep all, wake each with its first action
      long warmUntil = System.nanoTime() + o.warmup().toNanos();
      do {
        sleepAll(node, ids);
        for (ActorHandle h : handles) {
          call(h, action, null, err);
        }
      } while (System.nanoTime() < warmUntil);
      Histogram hist = new Histogram(HIGHEST, 3);
      long woken0 = node.woken.sum();
      Window w = Window.start();
      long wakeNanos = 0;
      long sleepNanos = 0;
      do {
        long s0 = System.nanoTime();
        sleepAll(node, ids);
        long s1 = System.nanoTime();
        for (ActorHandle h : handles) {
          call(h, action, hist, err);
        }
        wakeNanos += System.nanoTime() - s1;
        sleepNanos += s1 - s0;
        rounds++;
      } while (w.elapsedNanos() < o.measure().toNanos());
      w.stop();
      if (node.woken.sum() - woken0 != rounds * n) {
        err.add(new IllegalStateException((node.woken.sum() - woken0) + " wakes for " + rounds
            + " rounds of " + n + " sleeping actors"));
      }
      check(scenario, err, new Errors(), node.failedCommits());
      rows.add(new Row(n + " sleeping actors × " + rounds + " rounds", "durable", 1, hist,
          hist.getTotalCount() / (wakeNanos / 1e9), "wakes/s", err.count(), w));
      log.printf(Locale.ROOT, "  %d rounds: p50 %.3f ms p99 %.3f ms (sleeping %d actors took"
          + " %.0f ms per round)%n", rounds, ms(hist, 50), ms(hist, 99), n,
          sleepNanos / 1e6 / rounds);
      String what = name.equals(COUNTER) ? "wake + first action" : "wake with a database + first"
          + " query";
      targets.add(new Target(what + ", p50", fmtMs(ms(hist, 50)), "≤ 1 ms", ms(hist, 50) <= 1));
      targets.add(new Target(what + ", p99", fmtMs(ms(hist, 99)), "—", true));
    }
    String title = (name.equals(COUNTER)
        ? "Wake: the first `getCount()` of a sleeping counter"
        : "Wake with a database: the first `count()` (`SELECT count(*)`) of a sleeping actor"
            + " with a one-table database")
        + String.format(Locale.ROOT, " (%,d actors created and called once, then rounds of:"
            + " `requestSleep` on all, wait for %,d `actorSlept` events, wake each by calling it,"
            + " sequentially; durable)", n, n);
    return new Section(scenario, title + "\n\n" + table(scenario, rows), targets);
  }

  /** Creates {@code n} actors ({@code o.creators()} at a time) and calls each once; their ids. */
  private String[] createMany(ActorClient client, String name, String action, String prefix,
      int n) throws InterruptedException {
    String[] ids = new String[n];
    Semaphore gate = new Semaphore(o.creators());
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n && failure.get() == null; i++) {
        gate.acquire();
        int k = i;
        exec.execute(() -> {
          try {
            ActorHandle h = client.getOrCreate(name, Key.of(prefix + k));
            h.action(action, Long.class);
            ids[k] = h.resolve();
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
          } finally {
            gate.release();
          }
        });
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return ids;
  }

  /** Asks every actor to sleep and waits for as many {@code actorSlept} events. */
  private static void sleepAll(LifeNode node, String[] ids) throws InterruptedException {
    node.slept.drainPermits();
    for (String id : ids) {
      node.rivet.node().requestSleep(id);
    }
    if (!node.slept.tryAcquire(ids.length, 120, TimeUnit.SECONDS)) {
      throw new IllegalStateException(node.rivet.node().awakeCount() + " actor(s) still awake"
          + " 120 s after requestSleep");
    }
    if (node.rivet.node().awakeCount() != 0) { // only these actors live on this node
      throw new IllegalStateException(node.rivet.node().awakeCount() + " actor(s) awake after"
          + ids.length + " actorSlept events");
    }
  }

  // ------------------------------------------------------------------------------ broadcast

  /** Counts deliveries to all the fan-out connections; completes when a target is reached. */
  static final class Fanout implements LocalConn.Sink {
    final AtomicLong delivered = new AtomicLong();
    private volatile long target = Long.MAX_VALUE;
    private volatile long startedAt;
    private volatile CompletableFuture<Long> reached;

    CompletableFuture<Long> arm(long expected, long startNanos) {
      CompletableFuture<Long> f = new CompletableFuture<>();
      reached = f;
      startedAt = startNanos;
      target = expected;
      return f;
    }

    @Override
    public void event(String name, List<Object> args) {
      if (delivered.incrementAndGet() == target) {
        reached.complete(System.nanoTime() - startedAt);
      }
    }

    @Override
    public void closed(String reason) {}
  }

  Section broadcast() throws Exception {
    List<Row> rows = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    for (Durability d : List.of(Durability.RELAXED, Durability.DURABLE)) {
      String mode = d.name().toLowerCase(Locale.ROOT);
      try (LifeNode node = new LifeNode(o.dataDir(), d)) {
        ActorClient client = node.client();
        String id = client.getOrCreate(COUNTER, Key.of("fanout")).resolve();
        ActorHandle h = client.getForId(COUNTER, id);
        Fanout sink = new Fanout();
        List<CompletableFuture<LocalConn>> opening = new ArrayList<>();
        for (int i = 0; i < o.fanout(); i++) {
          opening.add(node.rivet.node().connect(id, COUNTER, null, sink));
        }
        List<LocalConn> conns = new ArrayList<>();
        for (CompletableFuture<LocalConn> f : opening) {
          conns.add(f.get(60, TimeUnit.SECONDS));
        }
        for (LocalConn c : conns) {
          node.rivet.node().subscribe(c, "newCount", true);
        }
        Errors err = new Errors();
        long[] broadcasts = {0};
        // warm-up, then the measured window: one increment (one broadcast) at a time
        long warmUntil = System.nanoTime() + o.warmup().toNanos();
        while (System.nanoTime() < warmUntil) {
          fanOnce(h, sink, broadcasts, null, err);
        }
        Histogram hist = new Histogram(HIGHEST, 3);
        long before = broadcasts[0];
        Window w = Window.start();
        while (w.elapsedNanos() < o.measure().toNanos()) {
          fanOnce(h, sink, broadcasts, hist, err);
        }
        w.stop();
        long count = broadcasts[0] - before;
        if (sink.delivered.get() != broadcasts[0] * o.fanout()) {
          err.add(new IllegalStateException(sink.delivered.get() + " deliveries for "
              + broadcasts[0] + " broadcasts to " + o.fanout() + " connections"));
        }
        check("broadcast " + mode, err, new Errors(), node.failedCommits());
        double perSecond = count * (double) o.fanout() / w.seconds();
        rows.add(new Row(o.fanout() + " connections", mode, 1, hist, perSecond,
            "deliveries/s", err.count(), w));
        log.printf(Locale.ROOT, "  %s: p50 %.3f ms p99 %.3f ms, %,.0f deliveries/s%n", mode,
            ms(hist, 50), ms(hist, 99), perSecond);
        targets.add(new Target("fan-out to " + o.fanout() + " connections, p99 (" + mode + ")",
            fmtMs(ms(hist, 99)), "≤ 30 ms", ms(hist, 99) <= 30));
        targets.add(new Target("deliveries/s (" + mode + ")", String.format(Locale.ROOT,
            "%,.0f /s", perSecond), "≥ 100,000 /s", perSecond >= 100_000));
        for (LocalConn c : conns) {
          node.rivet.node().disconnect(c);
        }
      }
    }
    String title = "Broadcast fan-out: one counter with " + o.fanout() + " in-process connections"
        + " (`Node.connect` + subscribe to `newCount`), `increment(1)` one at a time; latency"
        + " from the action call to the " + o.fanout() + "th delivery (the action's reply is"
        + " awaited too before the next call)";
    return new Section("broadcast", title + "\n\n" + table("broadcast", rows), targets);
  }

  private void fanOnce(ActorHandle h, Fanout sink, long[] broadcasts, Histogram hist,
      Errors err) {
    long t0 = System.nanoTime();
    CompletableFuture<Long> reached = sink.arm((broadcasts[0] + 1) * o.fanout(), t0);
    try {
      h.actionAsync("increment", Long.class, 1L).toCompletableFuture().get(60, TimeUnit.SECONDS);
      long nanos = reached.get(60, TimeUnit.SECONDS);
      if (hist != null) {
        hist.recordValue(Math.min(HIGHEST, nanos));
      }
    } catch (Exception e) {
      err.add(e);
      throw new IllegalStateException("broadcast " + (broadcasts[0] + 1) + " failed", e);
    }
    broadcasts[0]++;
  }

  // ------------------------------------------------------------------------------ chat

  Section chat() throws Exception {
    List<Target> targets = new ArrayList<>();
    Row row;
    try (LifeNode node = new LifeNode(o.dataDir(), Durability.DURABLE)) {
      ActorClient client = node.client();
      ActorHandle room = client.getForId(CHAT_ROOM, client.getOrCreate(CHAT_ROOM,
          Key.of("bench-room")).resolve());
      Errors err = new Errors();
      sequential(o.warmup(), null, err, i -> room.action("sendMessage", Object.class, "bench",
          "warm-up message " + i));
      Histogram h = new Histogram(HIGHEST, 3);
      Window w = Window.start();
      long n = sequential(o.measure(), h, err, i -> room.action("sendMessage", Object.class,
          "bench", "hello from the benchmark, message " + i));
      w.stop();
      check("chat", err, new Errors(), node.failedCommits());
      row = new Row("sequential", "durable", 1, h, n / w.seconds(), "messages/s", err.count(),
          w);
      log.printf(Locale.ROOT, "  sendMessage: p50 %.3f ms p99 %.3f ms, %,.0f /s%n", ms(h, 50),
          ms(h, 99), n / w.seconds());
      targets.add(new Target("chat `sendMessage` (durable), p50", fmtMs(ms(h, 50)), "—", true));
      targets.add(new Target("chat `sendMessage` (durable), p99", fmtMs(ms(h, 99)), "—", true));
    }
    String title = "Chat: `sendMessage(sender, text)` of `examples/chat-room` (default config,"
        + " no connections, so no rate limit), one room, one call at a time, durable: each call"
        + " inserts a row in the room's SQLite file (WAL, `synchronous=FULL`) and broadcasts";
    return new Section("chat", title + "\n\n" + table("chat", List.of(row)), targets);
  }

  // ------------------------------------------------------------------------------ a2a

  /** In-process actor-to-actor call: timed inside the calling actor's turn. */
  Section actorToActor() throws Exception {
    List<Target> targets = new ArrayList<>();
    Row row;
    try (LifeNode node = new LifeNode(o.dataDir(), Durability.DURABLE)) {
      ActorClient client = node.client();
      String target = client.getOrCreate(COUNTER, Key.of("a2a-target")).resolve();
      ActorHandle caller = client.getForId(CALLER, client.getOrCreate(CALLER,
          Key.of("a2a-caller")).resolve());
      Errors err = new Errors();
      sequential(o.warmup(), null, err, i -> caller.action("timeCall", Long.class, target));
      Histogram h = new Histogram(HIGHEST, 3);
      Window w = Window.start();
      long n = sequential(o.measure(), null, err, i -> h.recordValue(
          Math.max(1, caller.action("timeCall", Long.class, target))));
      w.stop();
      check("a2a", err, new Errors(), node.failedCommits());
      row = new Row("sequential", "durable (read-only call)", 1, h, n / w.seconds(), "calls/s",
          err.count(), w);
      log.printf(Locale.ROOT, "  actor-to-actor: p50 %.3f ms p99 %.3f ms%n", ms(h, 50),
          ms(h, 99));
      targets.add(new Target("in-process actor-to-actor call, p50", fmtMs(ms(h, 50)), "—", true));
    }
    String title = "Actor-to-actor: an action of one actor calls `getCount` of a counter on the"
        + " same node through `c.client().getForId(…).action(…)` (blocking, in-process, no"
        + " network), timed inside the calling turn; one call at a time";
    return new Section("a2a", title + "\n\n" + table("a2a", List.of(row)), targets);
  }

  // ------------------------------------------------------------------------------ startup

  /** One child server start. */
  record Startup(String flags, double readyMs, double firstActionMs, long launchToMainMs,
      long mainToReadyMs, long runtimeStartMs, long serverStartMs, long idleRssBytes,
      long heapUsedBytes, double others) {}

  Section startup() throws Exception {
    StringBuilder md = new StringBuilder();
    List<Target> targets = new ArrayList<>();
    md.append("Startup: a child JVM runs `LifecycleServer` (the counter on `RivetRuntime` +"
        + " `RivetServer`, durable, fresh data directory, port 0); measured from just before"
        + " `ProcessBuilder.start()` to the complete response of its first HTTP action"
        + " (`POST /gateway/counter/action/getCount?rvt-method=getOrCreate…`, JSON, which also"
        + " creates the actor), sent as soon as the child prints its port. Idle RSS:"
        + " `VmRSS` of `/proc/<pid>/status` after " + o.idle().toMillis() + " ms idle;"
        + " heap: used after 3 × `System.gc()` (read after the RSS).\n\n");
    md.append("| JVM flags | starts | first action ms (median) | min–max | ready line ms"
        + " | launch→main ms | runtime start ms | server start ms | idle RSS MB | heap used MB"
        + " | errors | others' CPU | load 1 min |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String flags : o.childFlags()) {
      List<Startup> runs = new ArrayList<>();
      long errs = 0;
      double load0 = loadAverage();
      for (int i = 0; i < o.startups(); i++) {
        try {
          Startup s = startOnce(flags);
          runs.add(s);
          log.printf(Locale.ROOT, "  [%s] first action %.0f ms (ready %.0f ms; launch→main %d,"
              + " main→ready %d = runtime %d + server %d), idle RSS %.1f MB, heap %.1f MB,"
              + " others %.0f%%%n", flags, s.firstActionMs(), s.readyMs(), s.launchToMainMs(),
              s.mainToReadyMs(), s.runtimeStartMs(), s.serverStartMs(),
              s.idleRssBytes() / 1e6, s.heapUsedBytes() / 1e6, 100 * s.others());
        } catch (Exception e) {
          errs++;
          errors.add("startup [" + flags + "]: " + e);
          e.printStackTrace(log);
        }
      }
      if (runs.isEmpty()) {
        continue;
      }
      double first = median(runs.stream().mapToDouble(Startup::firstActionMs).toArray());
      double rss = median(runs.stream().mapToDouble(Startup::idleRssBytes).toArray());
      md.append(String.format(Locale.ROOT, "| `%s` | %d | %.0f | %.0f–%.0f | %.0f | %.0f | %.0f"
          + " | %.0f | %.1f | %.1f | %d | %.0f%% | %.2f |%n", flags, runs.size(), first,
          runs.stream().mapToDouble(Startup::firstActionMs).min().orElse(0),
          runs.stream().mapToDouble(Startup::firstActionMs).max().orElse(0),
          median(runs.stream().mapToDouble(Startup::readyMs).toArray()),
          median(runs.stream().mapToDouble(Startup::launchToMainMs).toArray()),
          median(runs.stream().mapToDouble(Startup::runtimeStartMs).toArray()),
          median(runs.stream().mapToDouble(Startup::serverStartMs).toArray()),
          rss / 1e6, median(runs.stream().mapToDouble(Startup::heapUsedBytes).toArray()) / 1e6,
          errs, 100 * median(runs.stream().mapToDouble(Startup::others).toArray()),
          (load0 + loadAverage()) / 2));
      results.append(results.row("lifecycle", "startup", "rivet4j-durable")
          .put("durability", "durable")
          .put("generator", "LifecycleBench: child JVM LifecycleServer, raw-socket HTTP action")
          .put("load_generator", "java").put("transport", "http").put("errors", errs)
          .put("samples", runs.size())
          .put("others_cpu_share", JsonlResults.round(median(runs.stream()
              .mapToDouble(Startup::others).toArray()), 2))
          .put("variant", flags).put("jvm_flags", flags)
          .put("startup_ms", JsonlResults.round(first, 1))
          .put("startup_min_ms", JsonlResults.round(runs.stream()
              .mapToDouble(Startup::firstActionMs).min().orElse(Double.NaN), 1))
          .put("startup_max_ms", JsonlResults.round(runs.stream()
              .mapToDouble(Startup::firstActionMs).max().orElse(Double.NaN), 1))
          .put("ready_ms", JsonlResults.round(median(runs.stream().mapToDouble(Startup::readyMs)
              .toArray()), 1))
          .put("rss_mb", JsonlResults.round(rss / 1e6, 1))
          .put("heap_used_mb", JsonlResults.round(median(runs.stream()
              .mapToDouble(Startup::heapUsedBytes).toArray()) / 1e6, 1)));
      targets.add(new Target("JVM start → first served action [`" + flags + "`]",
          String.format(Locale.ROOT, "%.0f ms", first), "≤ 1,000 ms", first <= 1000));
      targets.add(new Target("idle RSS after startup [`" + flags + "`]",
          String.format(Locale.ROOT, "%.1f MB", rss / 1e6), "≤ 150 MB", rss / 1e6 <= 150));
    }
    md.append("\nMB = 10⁶ bytes. Child flags also include `--enable-native-access=ALL-UNNAMED"
        + " -Dorg.slf4j.simpleLogger.defaultLogLevel=warn` (as `scripts/serve.sh`); its class"
        + " path is the benchmark's minus JMH, HdrHistogram, the client and the chat room.\n");
    return new Section("startup", md.toString(), targets);
  }

  private Startup startOnce(String flags) throws Exception {
    Path dir = Files.createTempDirectory(ensure(o.dataDir()), "rivet4j-startup-");
    CpuMeter cpu = CpuMeter.start();
    long t0 = System.nanoTime();
    Child child = Child.start(flags, dir);
    try {
      String[] ready = child.expect("ready", Duration.ofSeconds(60)).split(" ");
      long tReady = System.nanoTime();
      int port = Integer.parseInt(ready[1]);
      String response = httpAction(port, "/gateway/counter/action/getCount?rvt-namespace=default"
          + "&rvt-method=getOrCreate&rvt-runner=default&rvt-key=startup&rvt-crash-policy=sleep");
      long tFirst = System.nanoTime();
      double others = othersExcluding(cpu, child.cpuNanos(), tFirst - t0);
      if (!response.startsWith("HTTP/1.1 200") || !response.contains("\"output\":0")) {
        throw new IllegalStateException("unexpected first response: " + response);
      }
      pause(o.idle());
      long rss = child.rssBytes();
      long heap = Long.parseLong(child.ask("mem").split(" ")[1]);
      return new Startup(flags, (tReady - t0) / 1e6, (tFirst - t0) / 1e6,
          Long.parseLong(ready[2]), Long.parseLong(ready[3]), Long.parseLong(ready[4]),
          Long.parseLong(ready[5]), rss, heap, others);
    } finally {
      child.quit();
      BenchNode.deleteTree(dir);
    }
  }

  /** POSTs a JSON action with no arguments and returns the whole response (Connection: close). */
  static String httpAction(int port, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(30_000);
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      byte[] body = "{\"args\":[]}".getBytes(StandardCharsets.UTF_8);
      String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nx-rivet-encoding: json\r\nContent-Type: application/json\r\nContent-Length: "
          + body.length + "\r\nConnection: close\r\n\r\n";
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  // ------------------------------------------------------------------------------ ws-memory

  /** One client WebSocket: completes {@link #init} on the server's {@code Init}. */
  static final class WsConn extends SimpleChannelInboundHandler<WebSocketFrame> {
    final CompletableFuture<Void> init = new CompletableFuture<>();
    volatile Channel channel;

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      channel = ctx.channel();
      super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof BinaryWebSocketFrame b) {
        ToClient m = BARE.decodeToClient(ByteBufUtil.getBytes(b.content()));
        if (m instanceof ToClient.Init) {
          init.complete(null);
        } else if (m instanceof ToClient.Error e) {
          init.completeExceptionally(new IllegalStateException("server error " + e));
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      init.completeExceptionally(new IllegalStateException("closed before Init"));
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      init.completeExceptionally(cause);
      ctx.close();
    }
  }

  Section wsMemory() throws Exception {
    String flags = o.childFlags().get(0);
    Path dir = Files.createTempDirectory(ensure(o.dataDir()), "rivet4j-ws-");
    StringBuilder md = new StringBuilder();
    List<Target> targets = new ArrayList<>();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    Child child = Child.start(flags, dir);
    try {
      int port = Integer.parseInt(child.expect("ready", Duration.ofSeconds(60)).split(" ")[1]);
      List<URI> uris = new ArrayList<>();
      for (int a = 0; a < o.wsActors(); a++) {
        uris.add(URI.create("ws://127.0.0.1:" + port + "/gateway/counter/connect"
            + "?rvt-namespace=default&rvt-method=getOrCreate&rvt-runner=default&rvt-key=ws-" + a
            + "&rvt-crash-policy=sleep"));
      }
      Bootstrap boot = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
      // warm-up: two sockets per actor (creates the actors, loads the classes), then closed
      List<WsConn> warm = openSockets(boot, uris, 2 * o.wsActors());
      for (WsConn c : warm) {
        c.channel.close().sync();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Map<String, long[]> base;
      while (true) {
        base = child.histogram();
        if (base.getOrDefault(WS_SESSION, new long[2])[0] == 0) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(base.get(WS_SESSION)[0] + " warm-up sessions still"
              + " open on the server 30 s after closing them");
        }
        pause(Duration.ofMillis(200));
      }
      long baseHeap = Long.parseLong(child.ask("mem").split(" ")[1]);
      long baseRss = child.rssBytes();
      int awakeBefore = Integer.parseInt(child.ask("awake").split(" ")[1]);

      CpuMeter cpu = CpuMeter.start();
      double load0 = loadAverage();
      long c0 = child.cpuNanos();
      long t0 = System.nanoTime();
      List<WsConn> conns = openSockets(boot, uris, o.wsConnections());
      long openNanos = System.nanoTime() - t0;
      double others = othersExcluding(cpu, child.cpuNanos() - c0, openNanos);
      pause(Duration.ofMillis(500)); // let the server finish its bookkeeping after each Init
      Map<String, long[]> after = child.histogram();
      long afterHeap = Long.parseLong(child.ask("mem").split(" ")[1]);
      long afterRss = child.rssBytes();
      int awakeAfter = Integer.parseInt(child.ask("awake").split(" ")[1]);
      long sessions = after.getOrDefault(WS_SESSION, new long[2])[0];
      if (sessions != o.wsConnections()) {
        errors.add("ws-memory: the server holds " + sessions + " sessions for "
            + o.wsConnections() + " open sockets");
      }
      int n = o.wsConnections();
      double histoPer = (total(after) - total(base)) / (double) n;
      double heapPer = (afterHeap - baseHeap) / (double) n;
      double rssPer = (afterRss - baseRss) / (double) n;
      log.printf(Locale.ROOT, "  %,d sockets in %.1f s: %.0f B/conn live heap (histogram),"
          + " %.0f B/conn used heap, %.0f B/conn RSS%n", n, openNanos / 1e9, histoPer, heapPer,
          rssPer);
      md.append("Idle WebSockets: a child JVM runs `LifecycleServer` (`").append(flags)
          .append("`); a Netty client in the benchmark JVM opens ").append(String.format(
              Locale.ROOT, "%,d", n)).append(" `/connect` WebSockets (bare encoding, no"
              + " connection params) spread round-robin over ").append(o.wsActors())
          .append(" counters (query gateway, `getOrCreate`), each waiting for its `Init`, then"
              + " idle. Before (after a warm-up of two sockets per actor, closed again) and after:"
              + " live heap from `GC.class_histogram` (full GC, live objects), used heap after"
              + " 3 × `System.gc()` (`MemoryMXBean`), `VmRSS`; all in the server process.\n\n");
      md.append("| connections | actors | live heap B/conn | used heap B/conn | RSS B/conn |"
          + " open s | opens/s | server sessions | actors awake before/after | errors"
          + " | others' CPU | load 1 min |\n");
      md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      md.append(String.format(Locale.ROOT, "| %,d | %d | %,.0f | %,.0f | %,.0f | %.1f | %,.0f |"
          + " %,d | %d/%d | %d | %.0f%% | %.2f |%n%n", n, o.wsActors(), histoPer, heapPer,
          rssPer, openNanos / 1e9, n / (openNanos / 1e9), sessions, awakeBefore, awakeAfter,
          sessions == n ? 0 : 1, 100 * others, (load0 + loadAverage()) / 2));
      md.append("| class (server heap per idle connection) | instances/conn | bytes/conn |\n");
      md.append("|---|---:|---:|\n");
      for (var g : growth(base, after, n, 15)) {
        md.append(String.format(Locale.ROOT, "| `%s` | %.2f | %.0f |%n", g.getKey()
            .replaceAll("/0x[0-9a-f]+", ""), g.getValue()[0], g.getValue()[1]));
      }
      md.append('\n');
      results.append(results.row("lifecycle", "ws-memory", "rivet4j-durable")
          .put("durability", "durable")
          .put("generator", "LifecycleBench: Netty WebSocket client, child JVM LifecycleServer")
          .put("load_generator", "java").put("transport", "websocket").put("actors", o.wsActors())
          .put("connections", n).put("errors", sessions == n ? 0 : 1)
          .put("others_cpu_share", JsonlResults.round(others, 2))
          .put("variant", flags).put("jvm_flags", flags)
          .put("heap_bytes_per_connection", Math.round(histoPer))
          .put("used_heap_bytes_per_connection", Math.round(heapPer))
          .put("rss_bytes_per_connection", Math.round(rssPer))
          .put("opens_per_s", JsonlResults.round(n / (openNanos / 1e9), 1)));
      targets.add(new Target("server heap per idle WebSocket (live, class histogram)",
          String.format(Locale.ROOT, "%,.0f B", histoPer), "≤ 4,096 B", histoPer <= 4096));
      targets.add(new Target("… used heap (MemoryMXBean) per idle WebSocket",
          String.format(Locale.ROOT, "%,.0f B", heapPer), "≤ 4,096 B", heapPer <= 4096));
      targets.add(new Target("… RSS per idle WebSocket", String.format(Locale.ROOT, "%,.0f B",
          rssPer), "—", true));
      for (WsConn c : conns) {
        c.channel.close();
      }
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
      child.quit();
      BenchNode.deleteTree(dir);
    }
    return new Section("ws-memory", md.toString(), targets);
  }

  /** Opens {@code n} sockets over {@code uris} round-robin, 256 handshakes at a time. */
  private static List<WsConn> openSockets(Bootstrap boot, List<URI> uris, int n)
      throws Exception {
    Semaphore gate = new Semaphore(256);
    List<WsConn> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      gate.acquire();
      URI uri = uris.get(i % uris.size());
      WsConn conn = new WsConn();
      conn.init.whenComplete((v, e) -> gate.release());
      out.add(conn);
      WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
          .webSocketUri(uri).subprotocol("rivet,rivet_encoding.bare")
          .handshakeTimeoutMillis(30_000).build();
      boot.clone().handler(new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel ch) {
          ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
              new WebSocketClientProtocolHandler(config), conn);
        }
      }).connect(uri.getHost(), uri.getPort()).addListener(f -> {
        if (!f.isSuccess()) {
          conn.init.completeExceptionally(f.cause());
        }
      });
    }
    CompletableFuture.allOf(out.stream().map(c -> c.init).toArray(CompletableFuture[]::new))
        .get(120, TimeUnit.SECONDS);
    return out;
  }

  private static long total(Map<String, long[]> histogram) {
    long sum = 0;
    for (long[] v : histogram.values()) {
      sum += v[1];
    }
    return sum;
  }

  private static List<Map.Entry<String, double[]>> growth(Map<String, long[]> before,
      Map<String, long[]> after, int per, int limit) {
    List<Map.Entry<String, double[]>> rows = new ArrayList<>();
    for (var e : after.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[2]);
      long bytes = e.getValue()[1] - b[1];
      if (bytes > 0) {
        rows.add(Map.entry(e.getKey(), new double[] {(e.getValue()[0] - b[0]) / (double) per,
            bytes / (double) per}));
      }
    }
    rows.sort((x, y) -> Double.compare(y.getValue()[1], x.getValue()[1]));
    return rows.subList(0, Math.min(limit, rows.size()));
  }

  // ------------------------------------------------------------------------------ child JVM

  /** A running {@link LifecycleServer}: its output lines, its stdin, its /proc entries. */
  static final class Child {
    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Writer stdin;

    private Child(Process process) {
      this.process = process;
      this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(),
          StandardCharsets.UTF_8);
      Thread.ofVirtual().start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
            process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException e) {
          // the child is gone; expect() reports the timeout
        }
      });
    }

    static Child start(String flags, Path dataDir) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(Arrays.asList(flags.trim().split("\\s+")));
      cmd.add("--enable-native-access=ALL-UNNAMED");
      cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      cmd.add("-cp");
      cmd.add(childClassPath());
      cmd.add(LifecycleServer.class.getName());
      cmd.add(dataDir.toString());
      cmd.add(Long.toString(System.currentTimeMillis()));
      return new Child(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT)
          .start());
    }

    /** The benchmark's class path without what the server does not load. */
    static String childClassPath() {
      List<String> keep = new ArrayList<>();
      for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
        String f = Path.of(e).getFileName().toString();
        if (!(f.startsWith("jmh-") || f.startsWith("jopt-") || f.startsWith("commons-math")
            || f.startsWith("HdrHistogram") || f.startsWith("rivet4j-client")
            || f.startsWith("chat-room"))) {
          keep.add(e);
        }
      }
      return String.join(File.pathSeparator, keep);
    }

    /** The next output line that is {@code prefix} or starts with {@code prefix + " "}. */
    String expect(String prefix, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String line = next(prefix, deadline);
        if (line.startsWith(prefix + " ") || line.equals(prefix)) {
          return line;
        }
        if (line.startsWith("error")) {
          throw new IllegalStateException("child: " + line);
        }
      }
    }

    private String next(String what, long deadline) throws InterruptedException {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new IllegalStateException("no '" + what + "' line from the child in time (alive: "
            + process.isAlive() + ")");
      }
      return line;
    }

    String ask(String command) throws IOException, InterruptedException {
      send(command);
      return expect(command, Duration.ofSeconds(120));
    }

    void send(String command) throws IOException {
      stdin.write(command + "\n");
      stdin.flush();
    }

    /** Live objects per class: {instances, bytes}. */
    Map<String, long[]> histogram() throws IOException, InterruptedException {
      send("histo");
      Map<String, long[]> out = new HashMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (true) {
        String line = next("histo", deadline);
        if (line.equals("end")) {
          return out;
        }
        if (line.startsWith("histo ")) {
          Matcher m = HISTO_LINE.matcher(line.substring(6));
          if (m.matches() && !m.group(3).startsWith("[Ljdk.internal.vm.FillerElement")) {
            out.merge(m.group(3), new long[] {Long.parseLong(m.group(1)),
                Long.parseLong(m.group(2))}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
          }
        }
      }
    }

    long rssBytes() throws IOException {
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()),
          "status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      return -1;
    }

    /** utime + stime of the child, from /proc/<pid>/stat; 0 if unreadable. */
    long cpuNanos() {
      try {
        String s = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }

    void quit() {
      try {
        if (process.isAlive()) {
          send("quit");
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (IOException | InterruptedException e) {
        process.destroyForcibly();
      }
    }
  }

  /** Others' CPU share over {@code wallNanos}, not counting {@code childCpuNanos}. */
  private static double othersExcluding(CpuMeter cpu, long childCpuNanos, long wallNanos) {
    double share = cpu.othersShare();
    double child = childCpuNanos / ((double) wallNanos * Runtime.getRuntime()
        .availableProcessors());
    return Math.max(0, share - child);
  }

  private static Path ensure(Path dir) throws IOException {
    return Files.createDirectories(dir);
  }

  // ------------------------------------------------------------------------------ loops

  private interface Call {
    void run(long i) throws Exception;
  }

  /** Failed calls: a count and the first. */
  static final class Errors {
    private final LongAdder count = new LongAdder();
    private final AtomicReference<Throwable> first = new AtomicReference<>();

    void add(Throwable e) {
      count.increment();
      first.compareAndSet(null, e);
    }

    long count() {
      return count.sum();
    }

    Throwable first() {
      return first.get();
    }
  }

  /** Runs {@code call} one at a time for {@code time}; records latencies when {@code h} is set. */
  private static long sequential(Duration time, Histogram h, Errors err, Call call) {
    long end = System.nanoTime() + time.toNanos();
    long i = 0;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      try {
        call.run(i);
        if (h != null) {
          h.recordValue(Math.min(HIGHEST, System.nanoTime() - t0));
        }
      } catch (Exception e) {
        err.add(e);
      }
      i++;
    }
    return i;
  }

  private static void call(ActorHandle h, String action, Histogram hist, Errors err) {
    long t0 = System.nanoTime();
    try {
      h.action(action, Long.class);
      if (hist != null) {
        hist.recordValue(Math.min(HIGHEST, System.nanoTime() - t0));
      }
    } catch (RuntimeException e) {
      err.add(e);
    }
  }

  private void check(String scenario, Errors a, Errors b, long failedCommits) {
    long n = a.count() + b.count();
    if (n > 0 || failedCommits > 0) {
      Throwable first = a.first() != null ? a.first() : b.first();
      errors.add(scenario + ": " + n + " failed call(s), " + failedCommits + " failed commit(s);"
          + " first: " + first);
    }
  }

  /** A measured window: wall time, others' CPU, load average. */
  static final class Window {
    private final long start = System.nanoTime();
    private final CpuMeter cpu = CpuMeter.start();
    private final double load0 = loadAverage();
    private long end;
    private double others;
    private double cores;
    private double load1;

    static Window start() {
      return new Window();
    }

    long elapsedNanos() {
      return System.nanoTime() - start;
    }

    void stop() {
      end = System.nanoTime();
      others = cpu.othersShare();
      cores = cpu.selfCores();
      load1 = loadAverage();
    }

    double seconds() {
      return (end - start) / 1e9;
    }

    double others() {
      return others;
    }

    /** Cores this JVM used in the window (1.0 = one core busy). */
    double cores() {
      return cores;
    }

    double load() {
      return (load0 + load1) / 2;
    }
  }

  private static void pause(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  // ------------------------------------------------------------------------------ report

  /** One latency row, measured in {@code window}. */
  record Row(String variant, String durability, int concurrency, Histogram latency,
      double throughput, String unit, long errors, Window window) {
    double others() {
      return window.others();
    }

    double load() {
      return window.load();
    }
  }

  /** The rows as a markdown table; each is also appended to the results file. */
  String table(String scenario, List<Row> rows) {
    for (Row r : rows) {
      String mode = r.durability().split(" ")[0];
      results.append(results.row("lifecycle", scenario, "rivet4j-" + mode)
          .put("durability", mode)
          .put("generator", "LifecycleBench: in-process ActorClient (JDK " + Runtime.version()
              + ")")
          .put("load_generator", "java").put("transport", "in-process")
          .put("connections", scenario.equals("broadcast") ? o.fanout() : null)
          .put("in_flight", r.concurrency())
          .windows(o.warmup().toNanos() / 1e9, o.measure().toNanos() / 1e9)
          .put("window_s", JsonlResults.round(r.window().seconds(), 3))
          .put("ops_per_s", JsonlResults.round(r.throughput(), 1))
          .latency(r.latency())
          .put("errors", r.errors())
          .put("others_cpu_share", JsonlResults.round(r.others(), 2))
          .put("jvm_cpu_cores", JsonlResults.round(r.window().cores(), 2))
          .put("variant", r.variant()).put("unit", r.unit()));
    }
    return latencyTable(scenario, rows);
  }

  static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
  }

  private static String fmtMs(double ms) {
    return String.format(Locale.ROOT, ms < 10 ? "%.3f ms" : "%.1f ms", ms);
  }

  static String latencyTable(String scenario, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| scenario | variant | durability | samples | p50 ms | p90 ms | p99 ms | p99.9 ms"
        + " | max ms | throughput | errors | others' CPU | load 1 min |\n");
    sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      Histogram h = r.latency();
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %.3f | %.3f | %.3f | %.3f |"
          + " %.3f | %,.0f %s | %d | %.0f%% | %.2f |%n", scenario, r.variant(), r.durability(),
          h.getTotalCount(), ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), ms(h, 100),
          r.throughput(), r.unit(), r.errors(), 100 * r.others(), r.load()));
    }
    return sb.toString();
  }

  void printMarkdown(PrintStream out, double loadBefore, double loadAfter) {
    var rt = ManagementFactory.getRuntimeMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean();
    out.println("## Lifecycle, fan-out, chat, startup and memory" + (o.smoke()
        ? " (smoke run: timings meaningless)" : ""));
    out.println();
    out.printf(Locale.ROOT, "- date: %s; machine: %d cores, %.1f GiB; JDK: %s %s%n",
        LocalDate.now(), Runtime.getRuntime().availableProcessors(),
        os.getTotalMemorySize() / (1024.0 * 1024 * 1024), System.getProperty("java.vm.vendor"),
        System.getProperty("java.vm.version"));
    out.printf(Locale.ROOT, "- benchmark JVM flags: `%s`%n", String.join(" ",
        rt.getInputArguments()));
    out.printf(Locale.ROOT, "- system load average (1 min) at start %.2f, at end %.2f (other"
        + " processes on the machine were left running)%n", loadBefore, loadAfter);
    out.printf(Locale.ROOT, "- method: %.1f s warm-up + %.1f s measured per loop, one run"
        + " (fresh node directory per scenario); others' CPU = share of all cores used by other"
        + " processes during the measured window%n%n", o.warmup().toMillis() / 1000.0,
        o.measure().toMillis() / 1000.0);
    Map<String, Section> byName = new LinkedHashMap<>();
    for (Section s : sections) {
      byName.put(s.scenario(), s);
    }
    List<Target> all = new ArrayList<>();
    for (Section s : byName.values()) {
      out.println("### " + s.scenario());
      out.println();
      out.println(s.markdown());
      if (!s.targets().isEmpty()) {
        targetTable(s.targets(), out);
      }
      all.addAll(s.targets());
    }
    if (!all.isEmpty()) {
      out.println("### Targets");
      out.println();
      targetTable(all, out);
    }
    if (!errors.isEmpty()) {
      out.println("Errors:");
      for (String e : errors) {
        out.println("- " + e);
      }
      out.println();
    }
  }

  private static void targetTable(List<Target> targets, PrintStream out) {
    out.println("| target | measured | goal | met |");
    out.println("|---|---:|---:|---|");
    for (Target t : targets) {
      out.printf("| %s | %s | %s | %s |%n", t.what(), t.measured(), t.goal(),
          t.goal().equals("—") ? "—" : t.met() ? "yes" : "**no**");
    }
    out.println();
  }
}
