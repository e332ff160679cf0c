package io.rivet4j.runtime;

/** When a reply that follows a state change may leave the runtime. */
public enum Durability {
  /** After the change is fsync'ed (default). */
  DURABLE,
  /**
   * At once; changes are flushed within {@link RuntimeConfig#relaxedFlushWindow()} (10 ms by
   * default). A crash may lose the changes of that window. Lifecycle steps (creation, sleep,
   * destroy, schedule claims) still wait for the disk.
   */
  RELAXED;

  /** Parses {@code durable} or {@code relaxed} (as in {@code RIVET_DURABILITY}). */
  public static Durability parse(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "durable" -> DURABLE;
      case "relaxed" -> RELAXED;
      default -> throw new IllegalArgumentException(
          "unknown durability '" + value + "': use 'durable' (default) or 'relaxed'");
    };
  }
}
