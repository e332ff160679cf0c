package io.rivet4j.api;

import java.util.List;
import java.util.Objects;

/**
 * An actor key: a list of string parts, unique per actor name. {@code Key.of("room", "42")} is the
 * compound key {@code ["room", "42"]}; {@code Key.of()} is the empty key.
 *
 * <p>RivetKit limits: each part at most 128 characters, the serialized key at most 1,024 bytes.
 */
public record Key(List<String> parts) {
  public static final int MAX_PART_LENGTH = 128;
  public static final int MAX_SERIALIZED_BYTES = 1024;

  public Key {
    parts = List.copyOf(Objects.requireNonNull(parts, "parts"));
  }

  public static Key of(String... parts) {
    return new Key(List.of(parts));
  }

  public static Key of(List<String> parts) {
    return new Key(parts);
  }

  /**
   * The key as RivetKit serializes it: {@code \} becomes {@code \\}, {@code /} becomes {@code \/},
   * an empty part is {@code \0}, parts are joined with {@code /}, and the empty key is {@code /}.
   */
  public String serialize() {
    if (parts.isEmpty()) {
      return "/";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        out.append('/');
      }
      String part = parts.get(i);
      if (part.isEmpty()) {
        out.append("\\0");
        continue;
      }
      for (int j = 0; j < part.length(); j++) {
        char ch = part.charAt(j);
        if (ch == '\\' || ch == '/') {
          out.append('\\');
        }
        out.append(ch);
      }
    }
    return out.toString();
  }

  /** Parses the form {@link #serialize()} writes. */
  public static Key deserialize(String serialized) {
    if (serialized.equals("/") || serialized.isEmpty()) {
      return Key.of();
    }
    java.util.ArrayList<String> parts = new java.util.ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean emptyMarker = false;
    for (int i = 0; i < serialized.length(); i++) {
      char ch = serialized.charAt(i);
      if (ch == '\\' && i + 1 < serialized.length()) {
        char next = serialized.charAt(++i);
        if (next == '0') {
          emptyMarker = true;
        } else {
          part.append(next);
        }
      } else if (ch == '/') {
        parts.add(emptyMarker ? "" : part.toString());
        part.setLength(0);
        emptyMarker = false;
      } else {
        part.append(ch);
      }
    }
    parts.add(emptyMarker ? "" : part.toString());
    return new Key(parts);
  }

  @Override
  public String toString() {
    return parts.toString();
  }
}
