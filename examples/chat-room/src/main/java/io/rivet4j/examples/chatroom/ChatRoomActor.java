package io.rivet4j.examples.chatroom;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.ActorHooks;
import io.rivet4j.api.Conn;
import io.rivet4j.api.UserError;
import io.rivet4j.api.Value;
import io.rivet4j.examples.conformance.ChatMessageInput;
import io.rivet4j.examples.conformance.JsStrings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One chat room: history in the room's own SQLite database, everything else derived from the
 * live connections. An instance is built on every start, so its fields are vars (lost on sleep,
 * which is harmless: a room with connections stays awake, and presence is recomputed from
 * {@code c.conns()}).
 *
 * <p>Rules (see {@link ChatRoom}): connections need the shared secret ({@code forbidden}); a
 * name, when given, is 1–64 characters ({@code invalid_name}); messages follow
 * spec/conformance-actors.md §3 ({@code invalid_message}); each connection may send
 * {@link ChatRoomConfig#rateLimitMessages()} per {@link ChatRoomConfig#rateLimitWindow()}
 * ({@code rate_limited}, metadata {@code retryAfterMs}); a room keeps
 * {@link ChatRoomConfig#maxMessages()} messages.
 */
public final class ChatRoomActor implements ChatRoom, ActorHooks<Void> {
  static final int MAX_SENDER = ChatMessageInput.MAX_SENDER;
  static final int HISTORY_LIMIT = 100;
  static final int DEFAULT_PAGE = 50;

  static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY"
      + " AUTOINCREMENT, sender TEXT NOT NULL, text TEXT NOT NULL, timestamp INTEGER NOT NULL)";
  static final String INSERT =
      "INSERT INTO messages (sender, text, timestamp) VALUES (?, ?, ?)";
  static final String HISTORY = "SELECT sender, text, timestamp FROM (SELECT id, sender, text,"
      + " timestamp FROM messages ORDER BY id DESC LIMIT " + HISTORY_LIMIT + ") ORDER BY id ASC";
  static final String PAGE = "SELECT id, sender, text, timestamp FROM messages WHERE id < ?"
      + " ORDER BY id DESC LIMIT ?";

  /** Names sort case-insensitively; names differing only in case are different people. */
  private static final Comparator<String> NAME_ORDER =
      String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());

  private final ActorContext<Void> c;
  private final ChatRoomConfig config;
  /** Send times (clock ms) within the rate window, per connection id. */
  private final Map<String, ArrayDeque<Long>> sent = new HashMap<>();
  /** Ids of the connections whose person is typing. */
  private final Set<String> typing = new HashSet<>();
  /** The presence list last broadcast. */
  private List<String> announced = List.of();

  public ChatRoomActor(ActorContext<Void> c, ChatRoomConfig config) {
    this.c = c;
    this.config = config;
  }

  /** The definition to register. */
  public static Actor<Void> definition(ChatRoomConfig config) {
    return Actor.<ChatRoom, Void>of(ChatRoom.class, c -> new ChatRoomActor(c, config))
        .onMigrate(db -> db.execute(CREATE_TABLE));
  }

  // ---------------------------------------------------------------- connections

  @Override
  public void onWake() {
    announced = presence();
  }

  @Override
  public void onBeforeConnect(Value params) {
    Map<?, ?> p = params.raw().orElse(null) instanceof Map<?, ?> m ? m : Map.of();
    if (!(p.get("token") instanceof String token) || !sameSecret(token, config.secret())) {
      throw new UserError("forbidden", "this room needs a valid token: connect with the params"
          + " {token: <the server's CHAT_SECRET>}");
    }
    nameParam(p);
  }

  @Override
  public Object createConnState(Value params) {
    Map<?, ?> p = params.raw().orElse(null) instanceof Map<?, ?> m ? m : Map.of();
    return nameParam(p).map(name -> {
      Map<String, Object> state = new LinkedHashMap<>(2);
      state.put("name", name);
      return (Object) state;
    }).orElse(null);
  }

  @Override
  public void onConnect(Conn conn) {
    announcePresence();
  }

  @Override
  public void onDisconnect(Conn conn) {
    sent.remove(conn.id());
    if (typing.remove(conn.id())) {
      nameOf(conn).ifPresent(name -> {
        if (!isTyping(name)) {
          c.broadcast(TYPING, new Typing(name, false));
        }
      });
    }
    announcePresence();
  }

  /** The trimmed {@code name} param; absent when not given; {@code invalid_name} if bad. */
  private static Optional<String> nameParam(Map<?, ?> params) {
    Object name = params.get("name");
    if (name == null) {
      return Optional.empty();
    }
    String trimmed = name instanceof String s ? JsStrings.trim(s) : "";
    if (trimmed.isEmpty() || trimmed.length() > MAX_SENDER) {
      throw new UserError("invalid_name", "name must be 1-" + MAX_SENDER + " characters");
    }
    return Optional.of(trimmed);
  }

  private static boolean sameSecret(String given, String secret) {
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        secret.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<String> nameOf(Conn conn) {
    return conn.state().orElse(null) instanceof Map<?, ?> m && m.get("name") instanceof String s
        ? Optional.of(s) : Optional.empty();
  }

  private List<String> presence() {
    TreeSet<String> names = new TreeSet<>(NAME_ORDER);
    for (Conn conn : c.conns()) {
      nameOf(conn).ifPresent(names::add);
    }
    return List.copyOf(names);
  }

  private void announcePresence() {
    List<String> now = presence();
    if (!now.equals(announced)) {
      announced = now;
      c.broadcast(PRESENCE, now);
    }
  }

  private boolean isTyping(String name) {
    for (Conn conn : c.conns()) {
      if (typing.contains(conn.id()) && nameOf(conn).filter(name::equals).isPresent()) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- actions

  @Override
  public Message sendMessage(Object sender, Object text) {
    ChatMessageInput in = ChatMessageInput.check(sender, text);
    String s = in.sender();
    String t = in.text();
    long now = c.clock().millis();
    Optional<Conn> caller = c.conn();
    caller.ifPresent(conn -> takeRateToken(conn, now));
    int keep = config.maxMessages();
    c.db().transaction(db -> {
      db.execute(INSERT, s, t, now);
      long id = ((Number) db.execute("SELECT last_insert_rowid() AS id").get(0).get("id"))
          .longValue();
      if (id > keep) {
        db.execute("DELETE FROM messages WHERE id <= ?", id - keep); // ids never repeat
      }
      return id;
    });
    Message message = new Message(s, t, now);
    c.broadcast(NEW_MESSAGE, message);
    caller.ifPresent(conn -> {
      if (typing.remove(conn.id())) {
        nameOf(conn).filter(name -> !isTyping(name))
            .ifPresent(name -> c.broadcast(TYPING, new Typing(name, false)));
      }
    });
    return message;
  }

  /** A sliding window per connection; throws {@code rate_limited} when it is full. */
  private void takeRateToken(Conn conn, long now) {
    long window = config.rateLimitWindow().toMillis();
    int limit = config.rateLimitMessages();
    ArrayDeque<Long> times = sent.computeIfAbsent(conn.id(), k -> new ArrayDeque<>(limit));
    while (!times.isEmpty() && times.peekFirst() + window <= now) {
      times.pollFirst();
    }
    if (times.size() >= limit) {
      long retryAfterMs = times.peekFirst() + window - now;
      Map<String, Object> metadata = new LinkedHashMap<>(4);
      metadata.put("retryAfterMs", retryAfterMs);
      metadata.put("limit", (long) limit);
      metadata.put("windowMs", window);
      throw new UserError("rate_limited", "too many messages: at most " + limit + " per "
          + duration(window) + " per connection; try again in "
          + duration(Math.ceilDiv(retryAfterMs, 1000) * 1000), metadata);
    }
    times.addLast(now);
  }

  private static String duration(long ms) {
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  @Override
  public List<Message> getHistory() {
    List<Map<String, Object>> rows = c.db().execute(HISTORY);
    List<Message> out = new ArrayList<>(rows.size());
    for (Map<String, Object> row : rows) {
      out.add(new Message((String) row.get("sender"), (String) row.get("text"),
          ((Number) row.get("timestamp")).longValue()));
    }
    return out;
  }

  @Override
  public HistoryPage getHistoryBefore(Object beforeId, Object limit) {
    long before = beforeId == null ? Long.MAX_VALUE
        : integer(beforeId, 1, Long.MAX_VALUE, "beforeId must be a positive integer or null");
    int n = limit == null ? DEFAULT_PAGE
        : (int) integer(limit, 1, HISTORY_LIMIT,
            "limit must be an integer from 1 to " + HISTORY_LIMIT + " or null");
    List<Map<String, Object>> rows = c.db().execute(PAGE, before, n + 1);
    boolean hasMore = rows.size() > n;
    List<StoredMessage> page = new ArrayList<>(Math.min(rows.size(), n));
    for (Map<String, Object> row : rows.subList(0, Math.min(rows.size(), n))) {
      page.add(new StoredMessage(((Number) row.get("id")).longValue(), (String) row.get("sender"),
          (String) row.get("text"), ((Number) row.get("timestamp")).longValue()));
    }
    Collections.reverse(page);
    return new HistoryPage(page, hasMore);
  }

  private static long integer(Object value, long min, long max, String message) {
    if (value instanceof Number number) {
      double d = number.doubleValue();
      long l = number.longValue();
      if (d == l && l >= min && l <= max) {
        return l;
      }
    }
    throw new UserError("invalid_argument", message);
  }

  @Override
  public List<String> getPresence() {
    return presence();
  }

  @Override
  public void setTyping(boolean isTyping) {
    Conn conn = c.conn().orElseThrow(ChatRoomActor::nameRequired);
    String name = nameOf(conn).orElseThrow(ChatRoomActor::nameRequired);
    boolean before = isTyping(name);
    if (isTyping) {
      typing.add(conn.id());
    } else {
      typing.remove(conn.id());
    }
    boolean after = isTyping(name);
    if (before != after) {
      c.broadcast(TYPING, new Typing(name, after));
    }
  }

  private static UserError nameRequired() {
    return new UserError("name_required",
        "setTyping needs a connection with a name: connect with the params {token, name}");
  }
}
