package io.rivet4j.testkit;

import io.rivet4j.api.ActorClient;
import io.rivet4j.api.ActorTypes;
import io.rivet4j.api.Key;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import io.rivet4j.runtime.RuntimeListener;
import io.rivet4j.runtime.spi.ActorStore;
import io.rivet4j.runtime.store.EmbeddedStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An in-process node for tests: the registry's actors on embedded storage in a temporary
 * directory, time moved by hand with a {@link ManualClock}, and waits on runtime events instead
 * of sleeps.
 *
 * <p>Concurrency: thread-safe. Events are recorded by the runtime's threads and waited on by the
 * test thread.
 */
public final class TestRegistry implements AutoCloseable {
  /** How long a wait for a runtime event may take before the test fails. */
  public static final Duration EVENT_TIMEOUT = Duration.ofSeconds(20);

  /** A recorded runtime event. */
  public record RuntimeEvent(String kind, String name, Key key, String actorId, String detail) {}

  private final Registry registry;
  private final ManualClock clock;
  private final Path dataDir;
  private final boolean ownsDir;
  private final Durability durability;
  private final java.util.function.Function<ActorStore, ActorStore> storeWrapper;
  private final List<RuntimeEvent> events = new ArrayList<>();
  private final Map<String, String> status = new HashMap<>();
  private RivetRuntime runtime;

  private TestRegistry(Registry registry, ManualClock clock, Path dataDir, boolean ownsDir,
      Durability durability, java.util.function.Function<ActorStore, ActorStore> storeWrapper) {
    this.registry = registry;
    this.clock = clock;
    this.dataDir = dataDir;
    this.ownsDir = ownsDir;
    this.durability = durability;
    this.storeWrapper = storeWrapper;
    this.runtime = startRuntime();
  }

  /** Options for {@link #start(Registry, Options)}. */
  public record Options(Durability durability,
      java.util.function.Function<ActorStore, ActorStore> storeWrapper) {
    public static Options defaults() {
      return new Options(Durability.DURABLE, s -> s);
    }

    public Options withDurability(Durability d) {
      return new Options(d, storeWrapper);
    }

    /** Wraps the embedded store, e.g. in a {@link FaultInjectingStore}. */
    public Options withStore(java.util.function.Function<ActorStore, ActorStore> wrapper) {
      return new Options(durability, wrapper);
    }
  }

  /** Starts {@code registry} in a fresh temporary directory with {@code options}. */
  public static TestRegistry start(Registry registry, Options options) {
    try {
      return new TestRegistry(registry, new ManualClock(), Files.createTempDirectory("rivet4j-"),
          true, options.durability(), options.storeWrapper());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code registry} in a fresh temporary directory, durable, with a manual clock. */
  public static TestRegistry start(Registry registry) {
    return start(registry, Options.defaults());
  }

  /** Starts {@code registry} on {@code dataDir} (kept after close). */
  public static TestRegistry start(Registry registry, Path dataDir, Durability durability) {
    return new TestRegistry(registry, new ManualClock(), dataDir, false, durability, s -> s);
  }

  private RivetRuntime startRuntime() {
    RuntimeListener listener = new RuntimeListener() {
      @Override
      public void actorStarted(String name, Key key, String actorId, boolean created) {
        record("started", name, key, actorId, created ? "created" : "woken");
      }

      @Override
      public void actorSlept(String name, Key key, String actorId) {
        record("slept", name, key, actorId, "");
      }

      @Override
      public void actorDestroyed(String name, Key key, String actorId) {
        record("destroyed", name, key, actorId, "");
      }

      @Override
      public void scheduleFired(String actorId, String scheduleId, String action) {
        record("scheduleFired", null, null, actorId, scheduleId + " " + action);
      }
    };
    RuntimeConfig config = RuntimeConfig.builder(dataDir).clock(clock).durability(durability)
        .listener(listener).build();
    ActorStore store = storeWrapper.apply(EmbeddedStore.open(dataDir));
    return RivetRuntime.start(registry, config, store);
  }

  private synchronized void record(String kind, String name, Key key, String actorId,
      String detail) {
    events.add(new RuntimeEvent(kind, name, key, actorId, detail));
    if (name != null) {
      status.put(name + "\u0000" + key.serialize(), kind);
    }
    notifyAll();
  }

  public ActorClient client() {
    return runtime.client();
  }

  public ManualClock clock() {
    return clock;
  }

  public RivetRuntime runtime() {
    return runtime;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Every runtime event so far, oldest first. */
  public synchronized List<RuntimeEvent> events() {
    return List.copyOf(events);
  }

  /** Waits until the actor's latest lifecycle event is that it slept. */
  public void awaitSleeping(String name, Key key) {
    awaitStatus(name, key, "slept");
  }

  public void awaitSleeping(Class<?> contract, Key key) {
    awaitSleeping(ActorTypes.nameOf(contract), key);
  }

  /** Waits until the actor's latest lifecycle event is that it was destroyed. */
  public void awaitDestroyed(String name, Key key) {
    awaitStatus(name, key, "destroyed");
  }

  public void awaitDestroyed(Class<?> contract, Key key) {
    awaitDestroyed(ActorTypes.nameOf(contract), key);
  }

  /** Waits until {@code count} events match {@code filter}; returns them. */
  public synchronized List<RuntimeEvent> awaitEvents(Predicate<RuntimeEvent> filter, int count) {
    long deadline = System.nanoTime() + EVENT_TIMEOUT.toNanos();
    for (;;) {
      List<RuntimeEvent> matching = events.stream().filter(filter).toList();
      if (matching.size() >= count) {
        return matching;
      }
      waitUntil(deadline, "waiting for " + count + " matching events; have " + matching);
    }
  }

  private synchronized void awaitStatus(String name, Key key, String wanted) {
    long deadline = System.nanoTime() + EVENT_TIMEOUT.toNanos();
    String nk = name + "\u0000" + key.serialize();
    while (!wanted.equals(status.get(nk))) {
      waitUntil(deadline, "actor '" + name + "' " + key + " did not reach '" + wanted
          + "' (last event: " + status.get(nk) + ")");
    }
  }

  private void waitUntil(long deadlineNanos, String failure) {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new AssertionError(failure + " within " + EVENT_TIMEOUT.toSeconds() + " s");
    }
    try {
      wait(Math.max(1, left / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while " + failure, e);
    }
  }

  /** Opens an in-process connection to the actor with this key (created if missing). */
  public TestConnection connect(String name, Key key, Object params) {
    String id = client().getOrCreate(name, key).resolve();
    TestConnection conn = new TestConnection(runtime.node(), id, name);
    conn.open(params);
    return conn;
  }

  /** Asks the actor to sleep now (as if its idle timeout had passed) and waits until it has. */
  public void sleep(String name, Key key) {
    String id = client().get(name, key).resolve();
    runtime.node().requestSleep(id);
    awaitSleeping(name, key);
  }

  /** Stops the node gracefully (every actor sleeps) and starts it again on the same data. */
  public void restart() {
    runtime.close(Duration.ofSeconds(15));
    synchronized (this) {
      status.clear();
    }
    runtime = startRuntime();
  }

  @Override
  public void close() {
    runtime.close(Duration.ofSeconds(15));
    if (ownsDir) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: temporary files
      }
    }
  }
}
