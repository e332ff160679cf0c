package io.rivet4j.protocol.internal;

import java.time.Instant;

/**
 * Writes CBOR in one of the two dialects the captured traffic shows. Both write integers in
 * −2^32 … 2^32 − 1 as CBOR integers with the shortest head, strings/arrays with the shortest head.
 */
final class CborWriter implements ValueVisitor {

  /** Which side of RivetKit the bytes must look like. */
  enum Style {
    /**
     * What JavaScript's cbor-x writes (client messages, action outputs, event args): every object
     * gets a 16-bit map head ({@code b9 0001}), every other number is a float64 ({@code fb}).
     */
    JS,
    /**
     * What the Rust core writes (server envelopes, error metadata, HTTP bodies): shortest map
     * heads ({@code a1}) and the shortest float that keeps the value ({@code f9 3e00} for 1.5).
     */
    CANONICAL
  }

  /** The integers cbor-x writes as CBOR integers: −2^32 … 2^32 − 1. */
  private static final double SMALLEST_INTEGER = -4294967296.0;
  private static final double LARGEST_INTEGER = 4294967295.0;

  private final ByteSink sink;
  private final Style style;

  private CborWriter(ByteSink sink, Style style) {
    this.sink = sink;
    this.style = style;
  }

  static CborWriter create(Style style) {
    return new CborWriter(new ByteSink(), style);
  }

  /** A writer appending to the same bytes in another dialect. */
  CborWriter withStyle(Style other) {
    return new CborWriter(sink, other);
  }

  byte[] bytes() {
    return sink.toByteArray();
  }

  /** A major type and its argument with the shortest head. */
  void head(int major, long argument) {
    int type = major << 5;
    if (argument >= 0 && argument < 24) {
      sink.write(type | (int) argument);
    } else if (argument >= 0 && argument <= 0xFF) {
      sink.write(type | 24);
      sink.write((int) argument);
    } else if (argument >= 0 && argument <= 0xFFFF) {
      sink.write(type | 25);
      sink.writeBigEndian(argument, 2);
    } else if (argument >= 0 && argument <= 0xFFFF_FFFFL) {
      sink.write(type | 26);
      sink.writeBigEndian(argument, 4);
    } else {
      sink.write(type | 27);
      sink.writeBigEndian(argument, 8);
    }
  }

  /** An unsigned 64-bit protocol id, always with the 8-byte head cbor-x reads as bigint. */
  void uint64(long unsigned) {
    sink.write(0x1B);
    sink.writeBigEndian(unsigned, 8);
  }

  /** JavaScript {@code undefined} ({@code f7}). */
  void undefined() {
    sink.write(0xF7);
  }

  @Override
  public void nul() {
    sink.write(0xF6);
  }

  @Override
  public void bool(boolean value) {
    sink.write(value ? 0xF5 : 0xF4);
  }

  @Override
  public void number(double value) {
    if (value == Math.rint(value) && value >= SMALLEST_INTEGER && value <= LARGEST_INTEGER) {
      long integer = (long) value; // −0 becomes 0, as in cbor-x
      if (integer >= 0) {
        head(0, integer);
      } else {
        head(1, -1 - integer);
      }
      return;
    }
    switch (style) {
      case JS -> float64(value);
      case CANONICAL -> shortestFloat(value);
    }
  }

  @Override
  public void string(String value) {
    byte[] utf8 = switch (style) {
      case JS -> Utf8.encodeLikeCborX(value);
      case CANONICAL -> Utf8.encode(value); // Rust strings hold no lone surrogates
    };
    head(3, utf8.length);
    sink.write(utf8);
  }

  /** A JavaScript Date as cbor-x writes it: tag 1, whole seconds as uint32, else float64. */
  @Override
  public void date(Instant value) {
    long millis = JsDates.toEpochMilli(value);
    sink.write(0xC1);
    if (millis % 1000 == 0 && millis >= 0 && millis / 1000 <= 0xFFFF_FFFFL) {
      sink.write(0x1A);
      sink.writeBigEndian(millis / 1000, 4);
    } else {
      float64(millis / 1000.0);
    }
  }

  @Override
  public void arrayStart(int size) {
    head(4, size);
  }

  @Override
  public void arrayEnd() {}

  @Override
  public void objectStart(int size) {
    switch (style) {
      case JS -> {
        if (size <= 0xFFFF) {
          sink.write(0xB9);
          sink.writeBigEndian(size, 2);
        } else {
          sink.write(0xBA);
          sink.writeBigEndian(size, 4);
        }
      }
      case CANONICAL -> head(5, size);
    }
  }

  @Override
  public void key(String key) {
    string(key);
  }

  @Override
  public void objectEnd() {}

  private void float64(double value) {
    sink.write(0xFB);
    sink.writeBigEndian(Double.doubleToLongBits(value), 8);
  }

  private void shortestFloat(double value) {
    if (Double.isNaN(value)) {
      sink.write(0xF9);
      sink.writeBigEndian(0x7E00, 2);
      return;
    }
    float single = (float) value;
    if (single != value) {
      float64(value);
      return;
    }
    short half = Float.floatToFloat16(single);
    if (Float.float16ToFloat(half) == single) {
      sink.write(0xF9);
      sink.writeBigEndian(half, 2);
    } else {
      sink.write(0xFA);
      sink.writeBigEndian(Float.floatToIntBits(single), 4);
    }
  }
}
