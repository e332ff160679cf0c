package io.rivet4j.client;

import io.rivet4j.examples.counter.CounterActor;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import io.rivet4j.server.RivetServer;
import io.rivet4j.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A Rivet4j server on an ephemeral port over a runtime in a test directory, serving the
 * counter example and {@link ProbeActor} (or another registry). It can be stopped and started
 * again on the same port and data (a server restart, as a client sees it).
 */
final class TestServer implements AutoCloseable {
  private final Path dir;
  private final Supplier<Registry> registry;
  private RivetRuntime runtime;
  private RivetServer server;
  private int port;

  private TestServer(Path dir, Supplier<Registry> registry) {
    this.dir = dir;
    this.registry = registry;
  }

  static TestServer start(Path dir) {
    return start(dir, () -> Registry.builder()
        .actor(CounterActor.definition())
        .actor(ProbeActor.definition())
        .build());
  }

  static TestServer start(Path dir, Supplier<Registry> registry) {
    TestServer s = new TestServer(dir, registry);
    s.runtime = s.startRuntime();
    s.server = RivetServer.start(s.runtime, ServerConfig.defaults().withPort(0));
    s.port = s.server.port();
    return s;
  }

  private RivetRuntime startRuntime() {
    return RivetRuntime.start(registry.get(), RuntimeConfig.builder(dir).build());
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** Closes the server only (open WebSockets get {@code 1001 ws.going_away}). */
  void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Starts a server again on the same port over the current runtime. */
  void startServer() {
    server = RivetServer.start(runtime, ServerConfig.defaults().withPort(port));
  }

  /** Closes the server and the runtime (actors sleep, storage closes). */
  void stop() {
    stopServer();
    if (runtime != null) {
      runtime.close(Duration.ofSeconds(10));
      runtime = null;
    }
  }

  /** A new runtime on the same data directory and a new server on the same port. */
  void startAgain() {
    runtime = startRuntime();
    startServer();
  }

  @Override
  public void close() {
    stop();
  }
}
