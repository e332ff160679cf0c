package io.rivet4j.examples.conformance;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.Args;
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
    ChatMessageInput in = ChatMessageInput.check(args.get(0).raw().orElse(null),
        args.get(1).raw().orElse(null));
    long now = c.clock().millis();
    c.db().execute(INSERT, in.sender(), in.text(), now);
    Map<String, Object> message = message(in.sender(), in.text(), now);
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
}
