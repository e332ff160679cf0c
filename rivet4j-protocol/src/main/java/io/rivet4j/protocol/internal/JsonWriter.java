package io.rivet4j.protocol.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Writes JSON exactly as {@code JSON.stringify} does: no whitespace, numbers printed as
 * JavaScript prints them ({@code NaN} and infinities as {@code null}), strings escaped as
 * ECMAScript's QuoteJSONString (lower-case hex in the six-character escapes, lone surrogates
 * escaped).
 */
final class JsonWriter implements ValueVisitor {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out = new StringBuilder(64);
  private boolean[] empty = new boolean[16];
  private int depth;
  private boolean afterKey;

  String text() {
    return out.toString();
  }

  byte[] bytes() {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void nul() {
    beforeValue();
    out.append("null");
  }

  @Override
  public void bool(boolean value) {
    beforeValue();
    out.append(value);
  }

  @Override
  public void number(double value) {
    beforeValue();
    out.append(Double.isFinite(value) ? JsNumbers.toJsString(value) : "null");
  }

  @Override
  public void string(String value) {
    beforeValue();
    quote(value);
  }

  @Override
  public void date(Instant value) {
    string(JsDates.toIsoString(value)); // Date.prototype.toJSON
  }

  @Override
  public void arrayStart(int size) {
    beforeValue();
    out.append('[');
    push();
  }

  @Override
  public void arrayEnd() {
    depth--;
    out.append(']');
  }

  @Override
  public void objectStart(int size) {
    beforeValue();
    out.append('{');
    push();
  }

  @Override
  public void key(String key) {
    if (!empty[depth]) {
      out.append(',');
    }
    empty[depth] = false;
    quote(key);
    out.append(':');
    afterKey = true;
  }

  @Override
  public void objectEnd() {
    depth--;
    out.append('}');
  }

  private void push() {
    depth++;
    if (depth == empty.length) {
      empty = Arrays.copyOf(empty, depth * 2);
    }
    empty[depth] = true;
  }

  private void beforeValue() {
    if (afterKey) {
      afterKey = false;
    } else if (depth > 0) {
      if (!empty[depth]) {
        out.append(',');
      }
      empty[depth] = false;
    }
  }

  private void quote(String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            unicodeEscape(c);
          } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            out.append(c).append(value.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            unicodeEscape(c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private void unicodeEscape(char c) {
    out.append("\\u")
        .append(HEX[c >> 12 & 0xF])
        .append(HEX[c >> 8 & 0xF])
        .append(HEX[c >> 4 & 0xF])
        .append(HEX[c & 0xF]);
  }
}
