package io.rivet4j.server;

import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.server.internal.NettyServer;
import java.util.Objects;

/**
 * Serves a {@link RivetRuntime} to the official RivetKit 2.3.19 clients on one port: the REST
 * API ({@code /metadata}, {@code /actors}, {@code /health}), the gateway ({@code /gateway/…})
 * and the actor routes (stateless actions over HTTP, connections over WebSocket), in the json,
 * cbor and bare encodings.
 *
 * <pre>{@code
 * try (RivetRuntime rivet = RivetRuntime.start(registry, RuntimeConfig.builder(dir).build());
 *      RivetServer server = RivetServer.start(rivet, ServerConfig.fromEnv())) {
 *   ... // clients use createClient("http://127.0.0.1:" + server.port())
 * }
 * }</pre>
 *
 * <p>Closing the server does not close the runtime.
 */
public final class RivetServer implements AutoCloseable {
  private final NettyServer server;

  private RivetServer(NettyServer server) {
    this.server = server;
  }

  /**
   * Binds {@code config.host():config.port()} and starts serving; returns once the port accepts
   * connections.
   *
   * @throws java.io.UncheckedIOException when the port cannot be bound
   */
  public static RivetServer start(RivetRuntime runtime, ServerConfig config) {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(config, "config");
    return new RivetServer(NettyServer.start(runtime.node(), config, null));
  }

  /** As {@link #start(RivetRuntime, ServerConfig)}, also serving {@code files} (e.g. a web page). */
  public static RivetServer start(RivetRuntime runtime, ServerConfig config, StaticFiles files) {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(files, "files");
    return new RivetServer(NettyServer.start(runtime.node(), config, files));
  }

  /** As {@link #start(RivetRuntime, ServerConfig)} with {@link ServerConfig#fromEnv()}. */
  public static RivetServer start(RivetRuntime runtime) {
    return start(runtime, ServerConfig.fromEnv());
  }

  /** The bound port (the real one when the config asked for port 0). */
  public int port() {
    return server.port();
  }

  /** The bound host. */
  public String host() {
    return server.host();
  }

  /** The endpoint clients use, e.g. {@code http://127.0.0.1:6420}. */
  public String endpoint() {
    String h = host();
    return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port();
  }

  /** The Rivet4j version this server reports in {@code /metadata} and {@code /health}. */
  public static String version() {
    return NettyServer.VERSION;
  }

  /**
   * Stops accepting connections, closes open WebSockets with {@code 1001 ws.going_away} (the
   * official client reconnects) and releases the threads. Idempotent.
   */
  @Override
  public void close() {
    server.close();
  }
}
