package io.rivet4j.examples.conformance;

import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import io.rivet4j.server.RivetServer;
import io.rivet4j.server.ServerConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves the conformance actors ({@code counter}, {@code chatRoom}, {@code conformance}) to the
 * official RivetKit client until SIGTERM/SIGINT; run it with {@code scripts/serve.sh
 * conformance}. Prints {@code Rivet4j conformance ready at <endpoint>} once clients can connect.
 *
 * <p>Environment: {@code RIVET_DATA_DIR} (default {@code data/conformance}),
 * {@code RIVET_DURABILITY} ({@code durable} or {@code relaxed}), the actor timeouts
 * {@code RIVET_SLEEP_TIMEOUT_MS}, {@code RIVET_ACTION_TIMEOUT_MS}, {@code RIVET_SLEEP_GRACE_MS}
 * (see {@link ConformanceActors#optionsFromEnv}), and the server's {@code RIVET_HOST},
 * {@code RIVET_PORT}, {@code RIVET_TOKEN}, … (see {@link ServerConfig#fromEnv()}).
 */
public final class ConformanceServer {
  private ConformanceServer() {}

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    Path dataDir = Path.of(env.getOrDefault("RIVET_DATA_DIR", "data/conformance"));
    Durability durability = Durability.parse(env.getOrDefault("RIVET_DURABILITY", "durable"));
    RivetRuntime rivet = RivetRuntime.start(
        ConformanceActors.registry(ConformanceActors.optionsFromEnv(env)),
        RuntimeConfig.builder(dataDir).durability(durability).build());
    RivetServer server = RivetServer.start(rivet, ServerConfig.fromEnv(env));
    rivet.shutdownOnSignals();
    // runs at exit, after the runtime closed: open sockets get 1001 ws.going_away, and the
    // official client reconnects to the next process
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "rivet4j-server-close"));
    System.out.println("Rivet4j conformance ready at " + server.endpoint());
  }
}
