package io.rivet4j.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Builds byte vectors from hex (spaces ignored) and text pieces, as the spec writes them. */
final class Hex {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  static String of(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static Hex hex(String hex) {
    return new Hex().then(hex);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** UTF-8 JSON written with single quotes for readability: {@code {'a':1}}. */
  static byte[] json(String singleQuoted) {
    return utf8(singleQuoted.replace('\'', '"'));
  }

  Hex then(String hex) {
    bytes.writeBytes(bytes(hex));
    return this;
  }

  /** Raw UTF-8 bytes of {@code text}, no length prefix. */
  Hex text(String text) {
    bytes.writeBytes(utf8(text));
    return this;
  }

  byte[] build() {
    return bytes.toByteArray();
  }
}
