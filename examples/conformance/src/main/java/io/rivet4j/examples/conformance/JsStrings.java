package io.rivet4j.examples.conformance;

/** JavaScript string semantics the conformance actors copy. */
public final class JsStrings {
  private JsStrings() {}

  /**
   * {@code String.prototype.trim}: strips ECMAScript WhiteSpace and LineTerminator code points
   * (TAB, VT, FF, SP, NBSP, ZWNBSP/BOM, every Zs character, LF, CR, LS, PS) from both ends.
   * Unlike {@link String#strip()} it strips NBSP and U+202F, and keeps U+001C–U+001F.
   */
  public static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isJsWhitespace(s.charAt(start))) {
      start++;
    }
    while (end > start && isJsWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  public static boolean isJsWhitespace(char ch) {
    return switch (ch) {
      case '\t', '\u000B', '\f', ' ', '\u00A0', '\uFEFF', '\n', '\r', '\u2028', '\u2029' -> true;
      default -> Character.getType(ch) == Character.SPACE_SEPARATOR;
    };
  }
}
