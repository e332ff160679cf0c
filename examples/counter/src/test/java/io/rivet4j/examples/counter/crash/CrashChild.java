package io.rivet4j.examples.counter.crash;

import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.examples.counter.CounterActor;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The child JVM of {@link CounterCrashTest}: increments counters under load on a durable
 * runtime until it is killed, and reports every acknowledged increment on stdout.
 *
 * <p>Arguments: {@code <dataDir> <keys> <threads> <depth>}. Keys are {@code crash-0 …
 * crash-<keys-1>}; worker thread {@code t} owns the keys {@code i % threads == t} and keeps exactly
 * {@code depth} async {@code increment(1)} calls in flight per key (so one actor pipelines several
 * turns while their commits are in flight, and hundreds of commits share each fsync).
 *
 * <p>Protocol (stdout, ASCII, one line each): {@code READY} once the runtime is up;
 * {@code ACK <key> <count>} for each acknowledged increment; {@code ERR <key> <error>} if a call
 * fails (then the child exits with status 2). A worker writes and flushes its ACK lines
 * <em>before</em> it issues the replacement calls, so per key at most {@code depth} increments are
 * ever issued and not yet reported: the parent can bound the recovered count from above as well
 * as from below.
 *
 * <p>The child never stops on its own while its parent lives: it halts when its stdin reaches EOF
 * (the parent died, so its end of the pipe closed).
 */
public final class CrashChild {
  private CrashChild() {}

  private record Done(String key, Long count, Throwable error) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: CrashChild <dataDir> <keys> <threads> <depth>");
      System.exit(64);
    }
    Path dataDir = Path.of(args[0]);
    int keys = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    int depth = Integer.parseInt(args[3]);

    Thread.ofPlatform().daemon().name("crash-child-orphan-guard").start(() -> {
      try {
        while (System.in.read() >= 0) {
          // the parent writes nothing; EOF means it is gone
        }
      } catch (IOException e) {
        // treat like EOF
      }
      Runtime.getRuntime().halt(3);
    });

    PrintStream out = new PrintStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false,
        StandardCharsets.US_ASCII);
    Registry registry = Registry.builder().actor(CounterActor.definition()).build();
    RivetRuntime rivet = RivetRuntime.start(registry, RuntimeConfig.builder(dataDir).build());

    List<List<String>> owned = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      owned.add(new ArrayList<>());
    }
    for (int i = 0; i < keys; i++) {
      owned.get(i % threads).add("crash-" + i);
    }
    synchronized (out) {
      out.print("READY\n");
      out.flush();
    }
    for (int t = 0; t < threads; t++) {
      List<String> mine = owned.get(t);
      Thread.ofPlatform().name("crash-child-worker-" + t)
          .start(() -> work(rivet, mine, depth, out));
    }
    // The workers are non-daemon: the JVM runs until it is killed.
  }

  /** Acks written to stdout so far (across workers). */
  private static final java.util.concurrent.atomic.AtomicLong REPORTED =
      new java.util.concurrent.atomic.AtomicLong();

  private static void work(RivetRuntime rivet, List<String> keys, int depth, PrintStream out) {
    LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
    for (String key : keys) {
      for (int d = 0; d < depth; d++) {
        issue(rivet, key, done);
      }
    }
    ArrayList<Done> batch = new ArrayList<>();
    StringBuilder lines = new StringBuilder();
    while (true) {
      try {
        batch.add(done.take());
      } catch (InterruptedException e) {
        return;
      }
      done.drainTo(batch);
      lines.setLength(0);
      boolean failed = false;
      for (Done d : batch) {
        if (d.error() == null) {
          lines.append("ACK ").append(d.key()).append(' ').append(d.count()).append('\n');
        } else {
          failed = true;
          lines.append("ERR ").append(d.key()).append(' ')
              .append(String.valueOf(d.error()).replace('\n', ' ')).append('\n');
          d.error().printStackTrace();
        }
      }
      synchronized (out) {
        out.print(lines);
        out.flush(); // the parent learns of an ack only after the reply was really received
        long before = REPORTED.get();
        long after = REPORTED.addAndGet(batch.size());
        if (after / 1000 != before / 1000) {
          System.err.println("PROGRESS " + after); // progress only; the acks are in stdout
          System.err.flush();
        }
      }
      if (failed) {
        System.err.flush();
        Runtime.getRuntime().halt(2);
      }
      for (Done d : batch) {
        issue(rivet, d.key(), done); // only after the ack above is on the pipe
      }
      batch.clear();
    }
  }

  private static void issue(RivetRuntime rivet, String key, LinkedBlockingQueue<Done> done) {
    try {
      ActorHandle counter = rivet.client().getOrCreate("counter", Key.of(key));
      counter.actionAsync("increment", Long.class, 1L)
          .whenComplete((count, error) -> done.add(new Done(key, count, error)));
    } catch (RuntimeException e) {
      done.add(new Done(key, null, e));
    }
  }
}
