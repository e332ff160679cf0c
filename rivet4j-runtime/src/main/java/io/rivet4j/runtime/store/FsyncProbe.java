package io.rivet4j.runtime.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Measures this machine's raw fsync latency in a directory: appends 4 KiB to a scratch file and
 * calls {@link FileChannel#force(boolean) force(false)}, {@code samples} times. Benchmarks print it
 * next to commit latencies, since a durable commit can never be faster than one fsync.
 *
 * <p>Run it alone: {@code java -cp … io.rivet4j.runtime.store.FsyncProbe [directory] [samples]}.
 */
public final class FsyncProbe {
  private static final int BLOCK = 4096;
  private static final int WARMUP = 5;

  /** Latencies of one write+fsync, in microseconds (nearest-rank percentiles). */
  public record Result(int samples, long p50Micros, long p99Micros, long maxMicros) {}

  private FsyncProbe() {}

  /**
   * Appends and fsyncs {@code samples} blocks (after a short warm-up) in a scratch file created in
   * {@code directory} and deleted afterwards.
   */
  public static Result measure(Path directory, int samples) {
    Objects.requireNonNull(directory, "directory");
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be ≥ 1, got " + samples);
    }
    long[] micros = new long[samples];
    Path file = null;
    try {
      Files.createDirectories(directory);
      file = Files.createTempFile(directory, "fsync-probe-", ".tmp");
      ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        for (int i = -WARMUP; i < samples; i++) {
          block.clear();
          for (int b = 0; b < BLOCK; b += 8) {
            block.putLong(b, System.nanoTime() ^ i); // never the same bytes twice
          }
          long start = System.nanoTime();
          while (block.hasRemaining()) {
            ch.write(block);
          }
          ch.force(false);
          long elapsed = System.nanoTime() - start;
          if (i >= 0) {
            micros[i] = elapsed / 1_000;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("fsync probe in " + directory + " failed", e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a scratch file left behind is harmless
        }
      }
    }
    Arrays.sort(micros);
    return new Result(samples, rank(micros, 0.50), rank(micros, 0.99), micros[samples - 1]);
  }

  private static long rank(long[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  public static void main(String[] args) {
    Path directory = Path.of(args.length > 0 ? args[0] : ".");
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    Result r = measure(directory, samples);
    System.out.printf("fsync (4 KiB append + force) in %s: p50 %d µs, p99 %d µs, max %d µs"
        + " over %d samples%n", directory.toAbsolutePath(), r.p50Micros(), r.p99Micros(),
        r.maxMicros(), r.samples());
  }
}
