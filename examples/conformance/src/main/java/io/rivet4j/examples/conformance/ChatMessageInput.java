package io.rivet4j.examples.conformance;

import io.rivet4j.api.UserError;

/**
 * A chat message's sender and text as {@code sendMessage} accepts them (spec
 * conformance-actors.md §3.2): both strings, trimmed as JavaScript trims, 1–64 and 1–2,000
 * UTF-16 units long; anything else is a {@code invalid_message} user error worded as the
 * reference words it. The showcase chat room applies the same rules.
 */
public record ChatMessageInput(String sender, String text) {
  public static final int MAX_SENDER = 64;
  public static final int MAX_TEXT = 2000;

  /** The trimmed input, or a {@code invalid_message} {@link UserError}. */
  public static ChatMessageInput check(Object sender, Object text) {
    if (!(sender instanceof String senderString)) {
      throw invalid("sender must be a string");
    }
    if (!(text instanceof String textString)) {
      throw invalid("text must be a string");
    }
    String s = JsStrings.trim(senderString);
    String t = JsStrings.trim(textString);
    if (s.length() < 1 || s.length() > MAX_SENDER) {
      throw invalid("sender must be 1-" + MAX_SENDER + " characters");
    }
    if (t.length() < 1 || t.length() > MAX_TEXT) {
      throw invalid("text must be 1-" + MAX_TEXT + " characters");
    }
    return new ChatMessageInput(s, t);
  }

  private static UserError invalid(String message) {
    return new UserError("invalid_message", message);
  }
}
