package io.rivet4j.protocol.internal;

import java.time.Instant;

/** What a writer does with the JavaScript value model; {@link ValueWalker} drives it. */
interface ValueVisitor {
  void nul();

  void bool(boolean value);

  /** A JavaScript number (also every integer within ±(2^53 − 1)). */
  void number(double value);

  void string(String value);

  /** A JavaScript {@code Date}. */
  void date(Instant value);

  void arrayStart(int size);

  void arrayEnd();

  void objectStart(int size);

  void key(String key);

  void objectEnd();
}
