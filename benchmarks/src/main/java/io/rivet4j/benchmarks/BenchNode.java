package io.rivet4j.benchmarks;

import io.rivet4j.api.ActorClient;
import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.ActorOptions;
import io.rivet4j.api.Key;
import io.rivet4j.examples.counter.CounterActor;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import io.rivet4j.runtime.store.EmbeddedStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * A fresh node for one benchmark run: a new directory, the counter registered, the embedded
 * store wrapped in a {@link MeteredStore}. Closing sleeps every actor, closes the store and
 * deletes the directory.
 */
final class BenchNode implements AutoCloseable {
  static final String COUNTER = "counter";
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(300);

  final Path dir;
  final MeteredStore store;
  final RivetRuntime rivet;

  private BenchNode(Path dir, MeteredStore store, RivetRuntime rivet) {
    this.dir = dir;
    this.store = store;
    this.rivet = rivet;
  }

  /**
   * Opens a node the way {@link RivetRuntime#start(Registry, RuntimeConfig)} does (an embedded
   * store with default options), with the counter's idle sleep pushed out of the way.
   */
  static BenchNode open(Path parent, Durability durability, Duration sleepTimeout) {
    return open(parent, durability, sleepTimeout, ActorOptions.DEFAULTS.actionTimeout());
  }

  /** As {@link #open(Path, Durability, Duration)} with the counter's action timeout. */
  static BenchNode open(Path parent, Durability durability, Duration sleepTimeout,
      Duration actionTimeout) {
    Path dir;
    try {
      Files.createDirectories(parent);
      dir = Files.createTempDirectory(parent, "rivet4j-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RuntimeConfig config = RuntimeConfig.builder(dir).durability(durability).build();
    MeteredStore store = new MeteredStore(EmbeddedStore.open(dir));
    Registry registry = Registry.builder()
        .actor(CounterActor.definition().sleepTimeout(sleepTimeout).actionTimeout(actionTimeout))
        .build();
    return new BenchNode(dir, store, RivetRuntime.start(registry, config, store));
  }

  ActorClient client() {
    return rivet.client();
  }

  /**
   * Creates {@code count} counters with keys {@code prefix0…}, {@code parallelism} at a time on
   * virtual threads (so creations share fsyncs), and returns their ids in key order.
   */
  String[] createCounters(String prefix, int count, int parallelism) {
    return createCounters(prefix, new String[count], parallelism);
  }

  /** As {@link #createCounters(String, int, int)}, filling {@code ids} (one per element). */
  String[] createCounters(String prefix, String[] ids, int parallelism) {
    int count = ids.length;
    Semaphore gate = new Semaphore(parallelism);
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (int i = 0; i < count && failure.get() == null; i++) {
        gate.acquireUninterruptibly();
        int k = i;
        exec.execute(() -> {
          try {
            ids[k] = client().getOrCreate(COUNTER, Key.of(prefix + k)).resolve();
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
          } finally {
            gate.release();
          }
        });
      }
      exec.shutdown();
      if (!exec.awaitTermination(CREATE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        exec.shutdownNow();
        throw new IllegalStateException("creating " + count + " actors took longer than "
            + CREATE_TIMEOUT.toSeconds() + " s (" + (parallelism - gate.availablePermits())
            + " creations still pending): the runtime looks stuck");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating actors", e);
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return ids;
  }

  /** Id handles, resolved once: calls skip key resolution. */
  List<ActorHandle> handles(String[] ids) {
    List<ActorHandle> out = new ArrayList<>(ids.length);
    for (String id : ids) {
      out.add(client().getForId(COUNTER, id));
    }
    return out;
  }

  @Override
  public void close() {
    try {
      rivet.close(Duration.ofSeconds(60));
    } finally {
      deleteTree(dir);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("warning: could not delete " + root + ": " + e);
    }
  }
}
