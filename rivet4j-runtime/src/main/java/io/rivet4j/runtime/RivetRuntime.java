package io.rivet4j.runtime;

import io.rivet4j.api.ActorClient;
import io.rivet4j.runtime.internal.Node;
import io.rivet4j.runtime.spi.ActorStore;
import io.rivet4j.runtime.store.EmbeddedStore;
import java.time.Duration;

/**
 * A running node: the actors of a {@link Registry} on embedded storage, reachable in-process
 * through {@link #client()} (and over the network through a server on top of it).
 *
 * <pre>{@code
 * try (RivetRuntime rivet = RivetRuntime.start(registry, RuntimeConfig.builder(dir).build())) {
 *   Counter counter = rivet.client().getOrCreate(Counter.class, Key.of("my-counter"));
 *   counter.increment(5);
 * }
 * }</pre>
 */
public final class RivetRuntime implements AutoCloseable {
  private final Node node;
  private final Duration shutdownGrace;

  private RivetRuntime(Node node, Duration shutdownGrace) {
    this.node = node;
    this.shutdownGrace = shutdownGrace;
  }

  /** Opens the node's embedded store in {@code config.dataDir()} and starts serving. */
  public static RivetRuntime start(Registry registry, RuntimeConfig config) {
    return start(registry, config, EmbeddedStore.open(config.dataDir()));
  }

  /** Starts on a given store (another backend, or a fault-injecting one in tests). */
  public static RivetRuntime start(Registry registry, RuntimeConfig config, ActorStore store) {
    Node node = new Node(registry, store, config.dataDir(), config.clock(), config.durability(),
        config.relaxedFlushWindow(), config.executor(), config.listener());
    return new RivetRuntime(node, Duration.ofSeconds(15));
  }

  /** The in-process client. */
  public ActorClient client() {
    return node.client();
  }

  /** For servers and the test kit built on this runtime. */
  public Node node() {
    return node;
  }

  /**
   * On SIGTERM or SIGINT: sleep every actor within the grace period, flush, close the store and
   * exit the JVM with status 0. For server processes; call once after starting.
   */
  public RivetRuntime shutdownOnSignals() {
    return shutdownOnSignals(new AutoCloseable[0]);
  }

  /**
   * As {@link #shutdownOnSignals()}, closing {@code first} (e.g. a server, so that no new
   * request arrives) before the actors sleep.
   */
  public RivetRuntime shutdownOnSignals(AutoCloseable... first) {
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
        Thread t = new Thread(() -> {
          for (AutoCloseable c : first) {
            try {
              c.close();
            } catch (Exception e) {
              org.slf4j.LoggerFactory.getLogger("io.rivet4j.runtime").warn(
                  "closing {} on SIG{} failed", c, name, e);
            }
          }
          long start = System.nanoTime();
          int awake = node.awakeCount();
          close();
          org.slf4j.LoggerFactory.getLogger("io.rivet4j.runtime").info(
              "SIG{}: {} actor(s) slept and storage closed in {} ms", name, awake,
              (System.nanoTime() - start) / 1_000_000);
          System.exit(0);
        }, "rivet4j-shutdown");
        t.start();
      });
    }
    return this;
  }

  /** Sleeps every actor within the grace period (15 s), flushes and closes the store. */
  @Override
  public void close() {
    node.shutdown(shutdownGrace);
  }

  /** As {@link #close()} with an explicit grace period. */
  public void close(Duration grace) {
    node.shutdown(grace);
  }
}
