package io.rivet4j.protocol.internal;

import java.util.Arrays;

/** A growable byte buffer shared by the BARE and CBOR writers. */
final class ByteSink {
  private byte[] buffer = new byte[64];
  private int size;

  void write(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
  }

  void write(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  void writeBigEndian(long value, int byteCount) {
    ensure(byteCount);
    for (int shift = (byteCount - 1) * 8; shift >= 0; shift -= 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
  }

  void writeLittleEndian(long value, int byteCount) {
    ensure(byteCount);
    for (int shift = 0; shift < byteCount * 8; shift += 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  private void ensure(int extra) {
    int needed = Math.addExact(size, extra);
    if (needed > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
    }
  }
}
