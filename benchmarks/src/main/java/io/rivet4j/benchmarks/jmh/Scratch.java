package io.rivet4j.benchmarks.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Fresh data directories for the benchmarks' stores, under {@code java.io.tmpdir}. */
final class Scratch {
  private Scratch() {}

  /** A new empty directory named {@code rivet4j-jmh-<what>-…}. */
  static Path newDir(String what) {
    try {
      return Files.createTempDirectory("rivet4j-jmh-" + what + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes {@code root} and everything in it; a missing directory is fine. */
  static void delete(Path root) {
    if (root == null || !Files.exists(root)) {
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
