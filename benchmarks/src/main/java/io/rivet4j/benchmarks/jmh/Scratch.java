package io.rivet4j.benchmarks.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Fresh data directories for the benchmarks' stores, under {@code java.io.tmpdir}. A directory
 * not deleted by its trial's tear-down (JMH skips it when a benchmark fails) is deleted when the
 * fork exits.
 */
final class Scratch {
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
      for (Path dir : LIVE) {
        try {
          delete(dir);
        } catch (UncheckedIOException e) {
          System.err.println("warning: " + e.getMessage());
        }
      }
    }));
  }

  private Scratch() {}

  /** A new empty directory named {@code rivet4j-jmh-<what>-…}. */
  static Path newDir(String what) {
    try {
      Path dir = Files.createTempDirectory("rivet4j-jmh-" + what + "-");
      LIVE.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes {@code root} and everything in it; a missing directory is fine. */
  static void delete(Path root) {
    if (root == null) {
      return;
    }
    LIVE.remove(root);
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }
}
