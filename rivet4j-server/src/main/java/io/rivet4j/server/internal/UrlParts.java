package io.rivet4j.server.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request target split the way the gateway needs it: the raw path (segments decoded one by
 * one, so {@code %2F} inside an action name stays in the name) and the query decoded as
 * {@code URLSearchParams} does ({@code +} is a space).
 */
record UrlParts(String rawPath, String rawQuery, Map<String, List<String>> query) {

  static UrlParts parse(String uri) {
    String target = uri;
    if (target.startsWith("http://") || target.startsWith("https://")) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    int hash = target.indexOf('#');
    if (hash >= 0) {
      target = target.substring(0, hash);
    }
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String rawQuery = q < 0 ? "" : target.substring(q + 1);
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (!rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
        params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
      }
    }
    return new UrlParts(path.isEmpty() ? "/" : path, rawQuery, params);
  }

  /** The raw query string without the pairs whose (decoded) name starts with {@code prefix}. */
  String rawQueryWithout(String prefix) {
    if (rawQuery.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name;
      try {
        name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
      } catch (IllegalArgumentException e) {
        name = pair;
      }
      if (pair.isEmpty() || name.startsWith(prefix)) {
        continue;
      }
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(pair);
    }
    return out.toString();
  }

  /** The first value of {@code name}, or {@code null}. */
  String first(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * Percent-decodes {@code s} as UTF-8 ({@code decodeURIComponent}); {@code plusIsSpace} for
   * query components.
   *
   * @throws IllegalArgumentException for a malformed escape or invalid UTF-8
   */
  static String decode(String s, boolean plusIsSpace) {
    if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("malformed percent-encoding in '" + s + "'");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("malformed percent-encoding in '" + s + "'");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else if (c < 0x80) {
        out.write(c);
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("percent-encoding of '" + s + "' is not UTF-8", e);
    }
  }
}
