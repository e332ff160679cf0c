package io.rivet4j.client.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** URL text as the JavaScript client writes it ({@code encodeURIComponent}, URLSearchParams). */
public final class Urls {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  /** Unreserved by {@code encodeURIComponent}. */
  private static final String COMPONENT_SAFE = "-_.!~*'()";
  /** Unreserved by the application/x-www-form-urlencoded serializer (space becomes '+'). */
  private static final String FORM_SAFE = "*-._";
  /** Kept as they are in user-given paths and queries (RFC 3986 pchar, '/', '?' and '%'). */
  private static final String URI_SAFE = "-._~!$&'()*+,;=:@/?%";

  private Urls() {}

  /** JavaScript's {@code encodeURIComponent} (UTF-8). */
  public static String component(String s) {
    return encode(s, COMPONENT_SAFE, false);
  }

  /** One {@code name=value} pair as {@code URLSearchParams.toString()} writes it. */
  static String formPair(String name, String value) {
    return encode(name, FORM_SAFE, true) + "=" + encode(value, FORM_SAFE, true);
  }

  /** {@code URLSearchParams.toString()} of {@code params} in order. */
  static String form(List<Map.Entry<String, String>> params) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> p : params) {
      if (!out.isEmpty()) {
        out.append('&');
      }
      out.append(formPair(p.getKey(), p.getValue()));
    }
    return out.toString();
  }

  /**
   * A user-given path (and query) made safe for {@link java.net.URI}: characters a URI cannot
   * hold are percent-encoded as UTF-8, existing escapes and legal characters are kept.
   */
  static String lenient(String pathAndQuery) {
    return encode(pathAndQuery, URI_SAFE, false);
  }

  /** Percent-decodes {@code s} as UTF-8 ({@code decodeURIComponent}). */
  static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi << 4 | lo);
          i += 2;
          continue;
        }
      }
      byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      out.write(b, 0, b.length);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * {@code combineUrlPath(endpoint, path, query)}: the endpoint's base path, then {@code path}
   * (its query kept), {@code //} collapsed, then {@code extraQuery} (already encoded) appended.
   */
  static String combine(String endpoint, String path, String extraQuery) {
    int schemeEnd = endpoint.indexOf("://") + 3;
    int slash = endpoint.indexOf('/', schemeEnd);
    String origin = slash < 0 ? endpoint : endpoint.substring(0, slash);
    String basePath = slash < 0 ? "" : endpoint.substring(slash);
    while (basePath.endsWith("/")) {
      basePath = basePath.substring(0, basePath.length() - 1);
    }
    int q = path.indexOf('?');
    String pathOnly = q < 0 ? path : path.substring(0, q);
    String query = q < 0 ? "" : path.substring(q + 1);
    String clean = pathOnly.startsWith("/") ? pathOnly : "/" + pathOnly;
    String full = (basePath + clean).replaceAll("//+", "/");
    StringBuilder url = new StringBuilder(origin).append(full);
    if (!query.isEmpty() || (extraQuery != null && !extraQuery.isEmpty())) {
      url.append('?').append(query);
      if (extraQuery != null && !extraQuery.isEmpty()) {
        if (!query.isEmpty()) {
          url.append('&');
        }
        url.append(extraQuery);
      }
    }
    return url.toString();
  }

  /** {@code http://…} → {@code ws://…}, {@code https://…} → {@code wss://…}. */
  static String webSocket(String httpUrl) {
    if (httpUrl.startsWith("https://")) {
      return "wss://" + httpUrl.substring("https://".length());
    }
    if (httpUrl.startsWith("http://")) {
      return "ws://" + httpUrl.substring("http://".length());
    }
    return httpUrl;
  }

  private static String encode(String s, String safe, boolean spaceAsPlus) {
    StringBuilder out = null;
    byte[] bytes = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean keep = c < 0x80 && (Character.isLetterOrDigit(c) || safe.indexOf(c) >= 0);
      if (keep && out == null) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (keep) {
        out.append(c);
      } else if (c == ' ' && spaceAsPlus) {
        out.append('+');
      } else {
        int end = i + 1;
        if (Character.isHighSurrogate(c) && end < s.length()
            && Character.isLowSurrogate(s.charAt(end))) {
          end++;
        }
        bytes = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
          out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
        i = end - 1;
      }
    }
    return out == null ? s : out.toString();
  }
}
