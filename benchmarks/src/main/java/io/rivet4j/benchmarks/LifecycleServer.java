package io.rivet4j.benchmarks;

import io.rivet4j.examples.counter.CounterActor;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import io.rivet4j.server.RivetServer;
import io.rivet4j.server.ServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM of {@link LifecycleBench}'s {@code startup} and {@code ws-memory} scenarios: the
 * counter on a {@link RivetRuntime} (durable, default options) behind a {@link RivetServer} on an
 * ephemeral port of 127.0.0.1 — what {@code scripts/serve.sh counter} runs, without the signal
 * handlers.
 *
 * <p>Prints {@code ready <port> <launch-to-main ms> <main-to-ready ms> <runtime start ms>
 * <server start ms>} on standard output as soon as the port accepts connections (launch time is
 * the parent's wall clock, passed as the second argument), then answers commands from standard input, one line each:
 * <ul>
 *   <li>{@code mem}: {@code mem <used heap bytes>} after three {@code System.gc()} calls;
 *   <li>{@code histo}: the {@code GC.class_histogram} lines (a full GC, live objects only), each
 *       prefixed with {@code histo }, then {@code end};
 *   <li>{@code awake}: {@code awake <actors awake>};
 *   <li>{@code quit}: closes the server and the runtime, prints {@code bye} and exits.
 * </ul>
 * Nothing is loaded before {@code ready} that the server itself does not need (no management
 * beans), so the time to ready is the server's own.
 *
 * <pre>
 * java … io.rivet4j.benchmarks.LifecycleServer DATA_DIR LAUNCHED_AT_MILLIS
 * </pre>
 */
public final class LifecycleServer {
  private LifecycleServer() {}

  public static void main(String[] args) throws Exception {
    long mainAt = System.nanoTime();
    long launchToMainMs = System.currentTimeMillis() - Long.parseLong(args[1]);
    Registry registry = Registry.builder().actor(CounterActor.definition()).build();
    RivetRuntime rivet = RivetRuntime.start(registry, RuntimeConfig.builder(Path.of(args[0]))
        .build());
    long runtimeAt = System.nanoTime();
    RivetServer server = RivetServer.start(rivet, ServerConfig.defaults().withPort(0));
    long readyAt = System.nanoTime();
    System.out.println("ready " + server.port() + " " + launchToMainMs + " "
        + (readyAt - mainAt) / 1_000_000 + " " + (runtimeAt - mainAt) / 1_000_000 + " "
        + (readyAt - runtimeAt) / 1_000_000);
    System.out.flush();

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      switch (line.trim()) {
        case "mem" -> {
          for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
          }
          System.out.println("mem " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage()
              .getUsed());
        }
        case "histo" -> {
          String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
              new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
              "gcClassHistogram", new Object[] {new String[0]},
              new String[] {String[].class.getName()});
          for (String h : text.split("\n")) {
            System.out.println("histo " + h);
          }
          System.out.println("end");
        }
        case "awake" -> System.out.println("awake " + rivet.node().awakeCount());
        case "quit" -> {
          server.close();
          rivet.close();
          System.out.println("bye");
          System.out.flush();
          System.exit(0);
        }
        default -> System.out.println("error unknown command '" + line + "'");
      }
      System.out.flush();
    }
    // the parent went away: shut down as on quit
    server.close();
    rivet.close();
  }
}
