package io.rivet4j.server.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Ray ids for {@code x-rivet-ray-id} and close reasons: 30 lowercase base-36 characters. */
final class RayIds {
  private static final char[] DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  private RayIds() {}

  static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] out = new char[30];
    for (int i = 0; i < 28; i++) {
      out[i] = DIGITS[r.nextInt(36)];
    }
    out[28] = '0';
    out[29] = '0';
    return new String(out);
  }
}
