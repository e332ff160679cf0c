package io.rivet4j.examples.counter;

import io.rivet4j.api.Key;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import java.nio.file.Path;

/**
 * Runs the counter in-process on embedded storage: every run adds 1 to the durable counter
 * {@code my-counter} and prints the count, so the count keeps growing across runs.
 *
 * <p>Environment: {@code RIVET_DATA_DIR} (default {@code data/counter}), {@code RIVET_DURABILITY}
 * ({@code durable} or {@code relaxed}).
 */
public final class CounterMain {
  private CounterMain() {}

  public static void main(String[] args) {
    Path dataDir = Path.of(System.getenv().getOrDefault("RIVET_DATA_DIR", "data/counter"));
    Durability durability = Durability.parse(
        System.getenv().getOrDefault("RIVET_DURABILITY", "durable"));
    Registry registry = Registry.builder().actor(CounterActor.definition()).build();
    RuntimeConfig config = RuntimeConfig.builder(dataDir).durability(durability).build();
    try (RivetRuntime rivet = RivetRuntime.start(registry, config)) {
      Counter counter = rivet.client().getOrCreate(Counter.class, Key.of("my-counter"));
      long count = counter.increment(1);
      System.out.println("counter 'my-counter' = " + count + " (data in "
          + dataDir.toAbsolutePath() + ", " + durability.name().toLowerCase() + ")");
    }
  }
}
