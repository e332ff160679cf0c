package io.rivet4j.runtime.internal.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Empty database files written and fsynced ahead of time in {@code <directory>/.spare}, so that
 * creating an actor's database is a hard link (no fsync on the caller's path).
 *
 * <p>Concurrency: thread-safe; {@code this} guards {@link #ready}, {@link #refilling} and
 * {@link #closed}. At most one refiller (a virtual thread) runs at a time; it starts when a
 * spare is taken and stops when {@link #target} are ready.
 *
 * <p>Lifecycle: the directory is emptied at start (spares of an earlier run are discarded);
 * {@link #close} stops refilling and deletes the spares.
 *
 * <p>Persistence: a spare is written as {@code *.tmp}, fsynced and only then renamed to
 * {@code *.db}, so a ready spare is always a complete database. Its entry under the actor's
 * directory becomes durable with SQLite's directory sync at the first WAL commit.
 */
final class SpareFiles {
  interface Template {
    byte[] bytes() throws IOException;
  }

  private final Path dir;
  private final int target;
  private final Template template;
  private final Logger log;
  private final ArrayDeque<Path> ready = new ArrayDeque<>();
  private boolean refilling;
  private boolean closed;
  private boolean warned;
  private long counter;

  SpareFiles(Path dir, int target, Template template, Logger log) {
    this.dir = dir;
    this.target = target;
    this.template = template;
    this.log = log;
    if (target > 0) {
      try {
        Files.createDirectories(dir);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir)) {
          for (Path p : old) {
            Files.deleteIfExists(p);
          }
        }
      } catch (IOException e) {
        log.warn("cannot prepare {}: {}; databases will be created on demand", dir, e.toString());
      }
    }
  }

  /** Starts writing the first spares in the background. */
  synchronized void start() {
    startRefill();
  }

  /**
   * Puts a spare at {@code file} (which must not exist); false when none is ready, and the
   * caller creates the file itself.
   */
  boolean claim(Path file) {
    Path spare;
    synchronized (this) {
      spare = ready.poll();
      startRefill();
    }
    if (spare == null) {
      return false;
    }
    try {
      Files.createLink(file, spare);
      Files.deleteIfExists(spare);
      return true;
    } catch (FileAlreadyExistsException e) {
      deleteQuietly(spare);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("cannot link spare {} to {}: {}", spare, file, e.toString());
      deleteQuietly(spare);
      return false;
    }
  }

  /**
   * Stops refilling, waits (at most 10 s) for a refill in progress to finish, and deletes the
   * ready spares, so that no file is written in the directory after this returns.
   */
  void close() {
    List<Path> left;
    synchronized (this) {
      closed = true;
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (refilling && System.nanoTime() < deadline) {
        try {
          wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      left = new ArrayList<>(ready);
      ready.clear();
    }
    left.forEach(SpareFiles::deleteQuietly);
  }

  synchronized int readyCount() {
    return ready.size();
  }

  /** Waits (at most {@code timeout}) until a spare is ready; false if none came (for tests). */
  synchronized boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ready.isEmpty() && !closed && refilling) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return !ready.isEmpty();
  }

  private void startRefill() { // holds this
    if (!refilling && !closed && ready.size() < target) {
      refilling = true;
      Thread.ofVirtual().name("rivet4j-db-spares").start(this::refill);
    }
  }

  private void refill() {
    try {
      while (true) {
        Path tmp;
        synchronized (this) {
          if (closed || ready.size() >= target) {
            refilling = false;
            notifyAll();
            return;
          }
          tmp = dir.resolve("spare-" + (counter++) + ".tmp");
        }
        Path spare = write(tmp);
        synchronized (this) {
          if (!closed) {
            ready.add(spare);
            notifyAll();
            continue;
          }
        }
        deleteQuietly(spare);
      }
    } catch (IOException | RuntimeException e) {
      boolean first;
      synchronized (this) {
        refilling = false;
        notifyAll();
        first = !warned;
        warned = true;
      }
      if (first) {
        log.warn("cannot write spare database files in {}: {}; creating them on demand",
            dir, e.toString());
      }
    }
  }

  private Path write(Path tmp) throws IOException {
    byte[] bytes = template.bytes();
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Path done = tmp.resolveSibling(tmp.getFileName().toString().replace(".tmp", ".db"));
    Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
    return done;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a leftover spare is removed at the next start
    }
  }
}
