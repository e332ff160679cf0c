package io.rivet4j.examples.counter.crash;

import io.rivet4j.api.Key;
import io.rivet4j.examples.counter.Counter;
import io.rivet4j.examples.counter.CounterActor;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Child process of {@link GracefulShutdownTest}: increments {@code keys} counters {@code times}
 * times each, prints {@code DONE <total>}, then waits for SIGTERM with every actor awake.
 */
public final class ShutdownChild {
  private ShutdownChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int keys = Integer.parseInt(args[1]);
    int times = Integer.parseInt(args[2]);
    Registry registry = Registry.builder().actor(CounterActor.definition()).build();
    RivetRuntime rivet = RivetRuntime.start(registry, RuntimeConfig.builder(dir).build())
        .shutdownOnSignals();
    long total = 0;
    for (int k = 0; k < keys; k++) {
      Counter c = rivet.client().getOrCreate(Counter.class, Key.of("shutdown-" + k));
      for (int i = 0; i < times; i++) {
        c.increment(1);
        total++;
      }
    }
    System.out.println("DONE " + total + " awake=" + rivet.node().awakeCount());
    System.out.flush();
    for (;;) {
      LockSupport.park();
    }
  }
}
