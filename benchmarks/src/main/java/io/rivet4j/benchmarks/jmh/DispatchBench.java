package io.rivet4j.benchmarks.jmh;

import io.rivet4j.api.Key;
import io.rivet4j.examples.counter.CounterActor;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import io.rivet4j.runtime.internal.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One action dispatched to an awake in-process actor and its reply: {@code increment(1)} on the
 * counter through {@link Node#call}, the entry point the server's WebSocket and HTTP routes and
 * the in-process client share, in relaxed durability (the reply leaves before the flush, so no
 * fsync is on the path; the state is flushed every 10 ms in the background). One caller, one
 * call at a time: the latency of a dispatch, not the throughput of many.
 *
 * <p>{@code path}:
 *
 * <ul>
 *   <li>{@code virtualThread} — the default runtime: the call enters the actor's mailbox, a
 *       virtual thread drains it and runs the turn, and completes the reply;
 *   <li>{@code directExecutor} — the runtime's executor runs every drain on the thread that
 *       starts it ({@link RuntimeConfig.Builder#executor}): the mailbox's enqueue, its drain and
 *       the turn without any thread hand-off. The mailbox itself is package-private; this is the
 *       public seam that isolates it;
 *   <li>{@code inline} (not in the default set: {@code -p path=inline}) — the calling thread is
 *       marked as the server's event loops are ({@link Node#allowInlineTurns()}), so once the
 *       action has shown it is short it runs right on the caller. The runtime demotes an action
 *       for good on a second slow inline run (over 1 ms) within 256; each iteration checks that
 *       the action still runs inline and fails the benchmark when it does not (the score would
 *       mix both paths). On a quiet machine it holds (0.19 µs per call); in a loaded
 *       {@code scripts/bench.sh all} run it was still demoted, cause not determined.
 * </ul>
 *
 * <p>{@code await}: {@code spin} polls the reply (a busy caller, such as an event loop: the
 * score is the runtime's own cost); {@code join} parks until the reply completes (a blocking
 * in-process caller: adds the wake-up of a parked platform thread, which on this virtual
 * machine is most of it). With {@code directExecutor} the reply is complete on return either way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBench {
  static final String COUNTER = "counter";
  /** Calls made in the set-up: wake the actor and warm the path. */
  static final int WARM_CALLS = 100;
  /**
   * For {@code inline}: at most this many more calls until one runs inline (the runtime promotes
   * an action after 32 fast runs in a row; a slow one, e.g. interpreted, starts the count again).
   */
  static final int MAX_PROMOTION_CALLS = 100_000;

  @Param({"virtualThread", "directExecutor"})
  public String path;

  @Param({"spin", "join"})
  public String await;

  Path dir;
  RivetRuntime rivet;
  Node node;
  String actorId;
  List<Object> args;

  @Setup(Level.Trial)
  public void start() {
    dir = Scratch.newDir("dispatch");
    RuntimeConfig.Builder config = RuntimeConfig.builder(dir).durability(Durability.RELAXED);
    if (!await.equals("spin") && !await.equals("join")) {
      throw new IllegalArgumentException("unknown await '" + await + "'; use spin or join");
    }
    switch (path) {
      case "virtualThread", "inline" -> { }
      case "directExecutor" -> config.executor(Runnable::run);
      default -> throw new IllegalArgumentException("unknown path '" + path
          + "'; use virtualThread, inline or directExecutor");
    }
    Registry registry = Registry.builder()
        .actor(CounterActor.definition().sleepTimeout(Duration.ofHours(1))).build();
    rivet = RivetRuntime.start(registry, config.build());
    node = rivet.node();
    actorId = rivet.client().getOrCreate(COUNTER, Key.of("jmh")).resolve();
    args = new ArrayList<>(List.of(1L)); // as the server passes decoded arguments
    markThread();
    for (int i = 0; i < WARM_CALLS; i++) {
      call().join();
    }
    if (path.equals("inline")) {
      awaitInline();
    }
  }

  /** Calls until one completes before {@code call} returns: the action runs inline now. */
  private void awaitInline() {
    for (int i = 0; i < MAX_PROMOTION_CALLS; i++) {
      CompletableFuture<Object> reply = call();
      boolean inline = reply.isDone();
      reply.join();
      if (inline) {
        return;
      }
    }
    throw new IllegalStateException("increment did not start running inline after "
        + MAX_PROMOTION_CALLS + " calls; the benchmark would measure the virtual-thread path");
  }

  /** Per iteration: the thread mark is a thread-local, set on the thread that measures. */
  @Setup(Level.Iteration)
  public void markThread() {
    if (path.equals("inline")) {
      Node.allowInlineTurns();
    }
  }

  @Benchmark
  public Object increment() {
    CompletableFuture<Object> reply = call();
    if (await.equals("spin")) {
      while (!reply.isDone()) {
        Thread.onSpinWait();
      }
    }
    return reply.join();
  }

  /** For {@code inline}: fails the iteration's result when the action was demoted during it. */
  @TearDown(Level.Iteration)
  public void checkInline() {
    if (!path.equals("inline")) {
      return;
    }
    for (int i = 0; i < 20; i++) { // one relaxed flush may hold the mailbox: try a few calls
      CompletableFuture<Object> reply = call();
      boolean inline = reply.isDone();
      reply.join();
      if (inline) {
        return;
      }
    }
    throw new IllegalStateException("increment no longer runs inline: the runtime demoted it"
        + " during this iteration (an inline run took over 1 ms, e.g. a GC pause or the thread"
        + " lost its core), so the score would mix the inline and virtual-thread paths");
  }

  CompletableFuture<Object> call() {
    return node.call(actorId, COUNTER, "increment", args, null);
  }

  @TearDown(Level.Trial)
  public void stop() {
    Node.disallowInlineTurns();
    try {
      rivet.close(Duration.ofSeconds(30));
    } finally {
      Scratch.delete(dir);
    }
  }
}
