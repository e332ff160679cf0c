package io.rivet4j.examples.counter;

import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import io.rivet4j.server.RivetServer;
import io.rivet4j.server.ServerConfig;
import java.nio.file.Path;

/**
 * Serves the counter to the official RivetKit client ({@code createClient(endpoint)}) until
 * SIGTERM/SIGINT, which sleeps every actor and closes storage before exiting.
 *
 * <p>Environment: {@code RIVET_DATA_DIR} (default {@code data/counter}), {@code RIVET_DURABILITY}
 * ({@code durable} or {@code relaxed}), and the server's {@code RIVET_HOST}, {@code RIVET_PORT},
 * {@code RIVET_TOKEN}, … (see {@link ServerConfig#fromEnv()}).
 */
public final class CounterServer {
  private CounterServer() {}

  public static void main(String[] args) {
    Path dataDir = Path.of(System.getenv().getOrDefault("RIVET_DATA_DIR", "data/counter"));
    Durability durability = Durability.parse(
        System.getenv().getOrDefault("RIVET_DURABILITY", "durable"));
    Registry registry = Registry.builder().actor(CounterActor.definition()).build();
    RivetRuntime rivet = RivetRuntime.start(registry,
        RuntimeConfig.builder(dataDir).durability(durability).build());
    RivetServer server = RivetServer.start(rivet, ServerConfig.fromEnv());
    rivet.shutdownOnSignals(server); // the server stops taking requests, then actors sleep
    System.out.println("Rivet4j counter ready at " + server.endpoint());
  }
}
