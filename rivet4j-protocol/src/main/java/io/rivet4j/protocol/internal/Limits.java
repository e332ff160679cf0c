package io.rivet4j.protocol.internal;

/** Bounds that keep hostile or accidental input from exhausting the stack or the CPU. */
public final class Limits {
  /** Deepest nesting of arrays, objects and tags that is decoded or encoded. */
  public static final int MAX_DEPTH = 512;

  /** Longest decimal text accepted for a {@code ["$BigInt", "…"]} value. */
  public static final int MAX_BIGINT_CHARS = 10_000;

  private Limits() {}
}
