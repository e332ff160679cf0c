package io.rivet4j.protocol.internal;

import java.util.Arrays;

/**
 * Reads BARE as the Rust and TypeScript vbare decoders do: canonical LEB128 {@code uint}s of at
 * most 64 bits, {@code bool} and {@code optional} markers that are exactly 0 or 1, UTF-8
 * {@code str}, lengths that fit in what remains, and no trailing bytes.
 */
final class BareReader {
  private final byte[] in;
  private int position;

  BareReader(byte[] in) {
    this.in = in;
  }

  /** The vbare version prefix (u16 little endian). */
  int version() {
    need(2);
    int version = (in[position] & 0xFF) | (in[position + 1] & 0xFF) << 8;
    position += 2;
    return version;
  }

  long uint() {
    long value = 0;
    for (int index = 0; index < 10; index++) {
      int b = u8();
      if (index == 9 && b > 1) {
        throw new MalformedException("BARE uint overflows 64 bits");
      }
      value |= (long) (b & 0x7F) << (7 * index);
      if ((b & 0x80) == 0) {
        if (b == 0 && index > 0) {
          throw new MalformedException("BARE uint is not canonical (trailing zero byte)");
        }
        return value;
      }
    }
    throw new MalformedException("BARE uint is longer than 10 bytes");
  }

  long u64() {
    need(8);
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = value << 8 | (in[position + i] & 0xFF);
    }
    position += 8;
    return value;
  }

  boolean bool() {
    int b = u8();
    if (b > 1) {
      throw new MalformedException("BARE bool must be 0 or 1, got " + b);
    }
    return b == 1;
  }

  /** Reads an {@code optional<T>} marker: true when the value follows. */
  boolean present() {
    int b = u8();
    if (b > 1) {
      throw new MalformedException("BARE optional marker must be 0 or 1, got " + b);
    }
    return b == 1;
  }

  /** A union tag below {@code variants}. */
  int unionTag(int variants) {
    long tag = uint();
    if (Long.compareUnsigned(tag, variants) >= 0) {
      throw new MalformedException("unknown BARE union tag " + Long.toUnsignedString(tag));
    }
    return (int) tag;
  }

  String str() {
    int length = length();
    String text = Utf8.decode(in, position, length);
    position += length;
    return text;
  }

  byte[] data() {
    int length = length();
    byte[] data = Arrays.copyOfRange(in, position, position + length);
    position += length;
    return data;
  }

  void end() {
    if (position != in.length) {
      throw new MalformedException((in.length - position) + " trailing bytes after the message");
    }
  }

  private int length() {
    long length = uint();
    int remaining = in.length - position;
    if (Long.compareUnsigned(length, remaining) > 0) {
      throw new MalformedException("BARE length " + Long.toUnsignedString(length)
          + " exceeds the " + remaining + " bytes that remain");
    }
    return (int) length;
  }

  private int u8() {
    need(1);
    return in[position++] & 0xFF;
  }

  private void need(int count) {
    if (in.length - position < count) {
      throw new MalformedException("truncated BARE message");
    }
  }
}
