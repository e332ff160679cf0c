package io.rivet4j.benchmarks;

import java.util.List;

/** What the benchmark mains share on their command lines. */
final class Cli {
  private Cli() {}

  /** A main's option parser: options in, scenario names collected; bad input throws. */
  interface Parser<T> {
    T parse(String[] args, List<String> scenarios) throws IllegalArgumentException;
  }

  /**
   * Parses {@code args} into options and {@code scenarios} (none given: all of {@code all}).
   * A bad option or an unknown scenario prints the message (and {@code usage}) and exits 2.
   */
  static <T> T parseOrExit(List<String> args, Parser<T> parser, List<String> scenarios,
      List<String> all, String usage) {
    T options;
    try {
      options = parser.parse(args.toArray(String[]::new), scenarios);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return null;
    }
    if (scenarios.isEmpty()) {
      scenarios.addAll(all);
    }
    for (String n : scenarios) {
      if (!all.contains(n)) {
        System.err.println("unknown scenario '" + n + "'\n" + usage);
        System.exit(2);
      }
    }
    return options;
  }
}
