package io.rivet4j.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * How a {@link RivetRuntime} runs: where its data lives, how durable replies are, which clock it
 * uses. Build with {@link #builder(Path)}.
 *
 * @param dataDir the node directory (catalog and per-actor files)
 * @param durability {@link Durability#DURABLE} unless chosen otherwise
 * @param relaxedFlushWindow how long relaxed mode may hold changes before flushing (10 ms)
 * @param clock the time source and timer
 * @param executor runs actor turns; empty means a virtual thread per mailbox drain
 * @param listener runtime events (tests wait on them)
 */
public record RuntimeConfig(
    Path dataDir,
    Durability durability,
    Duration relaxedFlushWindow,
    RuntimeClock clock,
    Optional<Executor> executor,
    RuntimeListener listener) {
  public RuntimeConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(relaxedFlushWindow, "relaxedFlushWindow");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(listener, "listener");
  }

  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** Builder with the defaults: durable, 10 ms relaxed window, system clock, virtual threads. */
  public static final class Builder {
    private final Path dataDir;
    private Durability durability = Durability.DURABLE;
    private Duration relaxedFlushWindow = Duration.ofMillis(10);
    private RuntimeClock clock;
    private Executor executor;
    private RuntimeListener listener = RuntimeListener.NONE;

    private Builder(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    }

    public Builder durability(Durability d) {
      this.durability = Objects.requireNonNull(d);
      return this;
    }

    public Builder relaxedFlushWindow(Duration d) {
      this.relaxedFlushWindow = Objects.requireNonNull(d);
      return this;
    }

    public Builder clock(RuntimeClock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    public Builder executor(Executor e) {
      this.executor = Objects.requireNonNull(e);
      return this;
    }

    public Builder listener(RuntimeListener l) {
      this.listener = Objects.requireNonNull(l);
      return this;
    }

    public RuntimeConfig build() {
      return new RuntimeConfig(dataDir, durability, relaxedFlushWindow,
          clock != null ? clock : RuntimeClock.system(), Optional.ofNullable(executor), listener);
    }
  }
}
