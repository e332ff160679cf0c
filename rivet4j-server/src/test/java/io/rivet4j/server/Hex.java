package io.rivet4j.server;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Hex for byte-exact assertions; spaces are ignored, {@code s(text)} is a UTF-8 string. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static String s(String text) {
    return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
  }
}
