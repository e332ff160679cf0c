package io.rivet4j.protocol.internal;

/** Writes BARE, starting with the vbare version prefix (u16 little endian). */
final class BareWriter {
  private final ByteSink sink = new ByteSink();

  BareWriter(int version) {
    sink.writeLittleEndian(version, 2);
  }

  byte[] bytes() {
    return sink.toByteArray();
  }

  BareWriter uint(long unsigned) {
    long rest = unsigned;
    while (Long.compareUnsigned(rest, 0x80) >= 0) {
      sink.write((int) (rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    sink.write((int) rest);
    return this;
  }

  BareWriter u64(long unsigned) {
    sink.writeLittleEndian(unsigned, 8);
    return this;
  }

  BareWriter bool(boolean value) {
    sink.write(value ? 1 : 0);
    return this;
  }

  /** The {@code optional<T>} marker; when true the caller writes the value next. */
  BareWriter present(boolean present) {
    sink.write(present ? 1 : 0);
    return this;
  }

  BareWriter str(String text) {
    return data(Utf8.encode(text));
  }

  BareWriter data(byte[] bytes) {
    uint(bytes.length);
    sink.write(bytes);
    return this;
  }
}
