package io.rivet4j.examples.conformance;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.Args;
import io.rivet4j.api.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code chatRoom} of spec/conformance-actors.md §3: one room per key, its history in the
 * room's own SQLite database, {@code newMessage} broadcast on every message. Builder form, because
 * {@code sendMessage} must tell "not a string" from "too short" exactly as the reference does.
 */
public final class ChatRoom {
  public static final String NAME = "chatRoom";
  public static final String NEW_MESSAGE = "newMessage";
  static final int MAX_SENDER = 64;
  static final int MAX_TEXT = 2000;
  static final int HISTORY_LIMIT = 100;

  static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY"
      + " AUTOINCREMENT, sender TEXT NOT NULL, text TEXT NOT NULL, timestamp INTEGER NOT NULL)";
  static final String INSERT =
      "INSERT INTO messages (sender, text, timestamp) VALUES (?, ?, ?)";
  static final String HISTORY = "SELECT sender, text, timestamp FROM (SELECT id, sender, text,"
      + " timestamp FROM messages ORDER BY id DESC LIMIT " + HISTORY_LIMIT + ") ORDER BY id ASC";

  private ChatRoom() {}

  /** The definition to register. */
  public static Actor<Void> definition() {
    return Actor.<Void>builder(NAME)
        .onMigrate(db -> db.execute(CREATE_TABLE))
        .action("sendMessage", ChatRoom::sendMessage)
        .action("getHistory", ChatRoom::getHistory);
  }

  static Map<String, Object> sendMessage(ActorContext<Void> c, Args args) {
    Object sender = args.get(0).raw().orElse(null);
    Object text = args.get(1).raw().orElse(null);
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
    long now = c.clock().millis();
    c.db().execute(INSERT, s, t, now);
    Map<String, Object> message = message(s, t, now);
    c.broadcast(NEW_MESSAGE, message);
    return message;
  }

  static List<Map<String, Object>> getHistory(ActorContext<Void> c, Args args) {
    List<Map<String, Object>> rows = c.db().execute(HISTORY);
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (Map<String, Object> row : rows) {
      out.add(message((String) row.get("sender"), (String) row.get("text"),
          ((Number) row.get("timestamp")).longValue()));
    }
    return out;
  }

  /** {@code {sender, text, timestamp}} in that key order. */
  static Map<String, Object> message(String sender, String text, long timestamp) {
    Map<String, Object> m = new LinkedHashMap<>(4);
    m.put("sender", sender);
    m.put("text", text);
    m.put("timestamp", timestamp);
    return m;
  }

  private static UserError invalid(String message) {
    return new UserError("invalid_message", message);
  }
}
