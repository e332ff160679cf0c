package io.rivet4j.examples.chatroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.testkit.ManualClock;
import io.rivet4j.testkit.TestConnection;
import io.rivet4j.testkit.TestConnection.Received;
import io.rivet4j.testkit.TestRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chat room's rules, in-process: spec/conformance-actors.md §3 exactly, plus auth, rate
 * limits, pruning, pagination, presence and typing. Time is the test kit's manual clock.
 */
class ChatRoomActorTest {
  private static final String SECRET = ChatRoomConfig.DEFAULT_SECRET;
  private static final Key ROOM = Key.of("lobby");

  private TestRegistry rivet;
  private final List<TestConnection> open = new ArrayList<>();

  @AfterEach
  void stop() {
    if (rivet != null) {
      rivet.close();
    }
  }

  private ManualClock start(ChatRoomConfig config) {
    rivet = TestRegistry.start(ChatRoomServer.registry(config));
    return rivet.clock();
  }

  private ManualClock start() {
    return start(ChatRoomConfig.defaults());
  }

  private TestConnection connect(String name, String... events) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("token", SECRET);
    if (name != null) {
      params.put("name", name);
    }
    return connectWith(params, events);
  }

  private TestConnection connectWith(Object params, String... events) {
    TestConnection conn = rivet.connect("chatRoom", ROOM, params);
    for (String event : events) {
      conn.subscribe(event);
    }
    open.add(conn);
    return conn;
  }

  /** The in-process client: trusted server-side code, no connection (no auth, no rate limit). */
  private ChatRoom room() {
    return rivet.client().getOrCreate(ChatRoom.class, ROOM);
  }

  private static RivetError userError(String code, String message, Runnable call) {
    RivetError e = assertThrows(RivetError.class, call::run);
    assertEquals("user", e.group());
    assertEquals(code, e.code());
    assertEquals(message, e.getMessage());
    return e;
  }

  // ---------------------------------------------------------------- §3: sendMessage, getHistory

  @Test
  void sendMessageTrimsStampsWithTheServerClockStoresAndBroadcasts() {
    ManualClock clock = start();
    TestConnection alice = connect("alice", "newMessage");
    long t = clock.millis();
    @SuppressWarnings("unchecked")
    Map<String, Object> sent = alice.action("sendMessage", Map.class, "  carol ", "\t hi  \n");
    assertEquals(List.of("sender", "text", "timestamp"), new ArrayList<>(sent.keySet()));
    assertEquals(Map.of("sender", "carol", "text", "hi", "timestamp", t), sent);
    assertEquals(List.of(new Received("newMessage", List.of(new Message("carol", "hi", t)))),
        alice.awaitEvents(1));
    clock.advance(Duration.ofMillis(1234));
    room().sendMessage("\u00A0dave\u2028", "'); DROP TABLE messages; --");
    assertEquals(List.of(new Message("carol", "hi", t),
        new Message("dave", "'); DROP TABLE messages; --", t + 1234)), room().getHistory());
  }

  @Test
  void invalidMessagesAreRejectedInTheReferenceOrderAndChangeNothing() {
    start();
    TestConnection alice = connect("alice", "newMessage");
    String s64 = "s".repeat(64);
    String t2000 = "t".repeat(2000);
    Object[][] cases = {
        {42L, "x", "sender must be a string"},
        {42L, null, "sender must be a string"},
        {null, "x", "sender must be a string"},
        {"a", null, "text must be a string"},
        {"a", 7L, "text must be a string"},
        {"  ", null, "text must be a string"},
        {" \t\n", "x", "sender must be 1-64 characters"},
        {s64 + "s", "x", "sender must be 1-64 characters"},
        {"", "", "sender must be 1-64 characters"},
        {"a", "\u2029 \u00A0", "text must be 1-2000 characters"},
        {"a", t2000 + "t", "text must be 1-2000 characters"},
    };
    for (Object[] c : cases) {
      RivetError e = userError("invalid_message", (String) c[2],
          () -> alice.action("sendMessage", Map.class, c[0], c[1]));
      assertEquals(Optional.empty(), e.metadata(), "no metadata for " + c[2]);
    }
    userError("invalid_message", "text must be a string",
        () -> alice.action("sendMessage", Map.class, "only sender"));
    assertEquals(List.of(), room().getHistory());
    // the limits are inclusive, after trimming
    alice.action("sendMessage", Map.class, " " + s64 + " ", "\n" + t2000 + "\n");
    assertEquals(List.of("newMessage"),
        alice.awaitEvents(1).stream().map(Received::name).toList());
    assertEquals(1, room().getHistory().size());
    assertEquals(1, alice.events().size()); // nothing was broadcast for the rejected ones
  }

  @Test
  void getHistoryReturnsTheNewest100OldestFirstWithExactlyThreeKeys() {
    ManualClock clock = start();
    TestConnection alice = connect("alice");
    assertEquals(List.of(), alice.action("getHistory", List.class));
    long t0 = clock.millis();
    for (int i = 0; i < 105; i++) {
      room().sendMessage("bot", "m" + i);
      clock.advance(Duration.ofMillis(1));
    }
    List<Message> history = room().getHistory();
    assertEquals(100, history.size());
    assertEquals(new Message("bot", "m5", t0 + 5), history.get(0));
    assertEquals(new Message("bot", "m104", t0 + 104), history.get(99));
    Map<?, ?>[] wire = alice.action("getHistory", Map[].class); // as it is serialized
    assertEquals(100, wire.length);
    assertEquals(List.of("sender", "text", "timestamp"), new ArrayList<>(wire[0].keySet()));
    assertEquals(Map.of("sender", "bot", "text", "m104", "timestamp", t0 + 104), wire[99]);
  }

  // ---------------------------------------------------------------- pagination and pruning

  @Test
  void getHistoryBeforePagesBackwardsWithIds() {
    ManualClock clock = start();
    long t0 = clock.millis();
    for (int i = 1; i <= 7; i++) {
      room().sendMessage("bot", "m" + i);
      clock.advance(Duration.ofSeconds(1));
    }
    HistoryPage newest = room().getHistoryBefore(null, 3L);
    assertEquals(new HistoryPage(List.of(
        new StoredMessage(5, "bot", "m5", t0 + 4000),
        new StoredMessage(6, "bot", "m6", t0 + 5000),
        new StoredMessage(7, "bot", "m7", t0 + 6000)), true), newest);
    assertEquals(List.of(2L, 3L, 4L), ids(room().getHistoryBefore(5L, 3L)));
    assertTrue(room().getHistoryBefore(5L, 3L).hasMore());
    assertEquals(new HistoryPage(List.of(new StoredMessage(1, "bot", "m1", t0)), false),
        room().getHistoryBefore(2L, 3L));
    assertEquals(new HistoryPage(List.of(), false), room().getHistoryBefore(1L, 3L));
    HistoryPage all = room().getHistoryBefore(null, null); // default page: 50
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), ids(all));
    assertEquals(false, all.hasMore());
    assertEquals(List.of(6L, 7L), ids(room().getHistoryBefore(1e9, 2.0))); // JS numbers
    @SuppressWarnings("unchecked")
    Map<String, Object> wire = connect("alice").action("getHistoryBefore", Map.class, 3L, 1L);
    assertEquals(List.of("messages", "hasMore"), new ArrayList<>(wire.keySet()));
    assertEquals(List.of(Map.of("id", 2L, "sender", "bot", "text", "m2", "timestamp",
        t0 + 1000)), wire.get("messages"));
    assertEquals(true, wire.get("hasMore"));
  }

  @Test
  void getHistoryBeforeRejectsBadCursorsAndLimits() {
    start();
    String cursor = "beforeId must be a positive integer or null";
    for (Object bad : new Object[] {0L, -1L, 1.5, "5", List.of(1L)}) {
      userError("invalid_argument", cursor, () -> room().getHistoryBefore(bad, 10L));
    }
    String limit = "limit must be an integer from 1 to 100 or null";
    for (Object bad : new Object[] {0L, 101L, 2.5, "10", true}) {
      userError("invalid_argument", limit, () -> room().getHistoryBefore(null, bad));
    }
    assertEquals(new HistoryPage(List.of(), false), room().getHistoryBefore(null, 100L));
  }

  private static List<Long> ids(HistoryPage page) {
    return page.messages().stream().map(StoredMessage::id).toList();
  }

  @Test
  void roomsKeepOnlyTheNewestMessagesUpToTheCapAcrossRestarts() {
    ManualClock clock = start(ChatRoomConfig.defaults().withMaxMessages(5));
    for (int i = 1; i <= 8; i++) {
      room().sendMessage("bot", "m" + i);
      clock.advance(Duration.ofMillis(10));
    }
    assertEquals(List.of(4L, 5L, 6L, 7L, 8L), ids(room().getHistoryBefore(null, 100L)));
    assertEquals(false, room().getHistoryBefore(null, 100L).hasMore());
    assertEquals(List.of("m4", "m5", "m6", "m7", "m8"),
        room().getHistory().stream().map(Message::text).toList());
    rivet.restart();
    room().sendMessage("bot", "m9");
    assertEquals(List.of(5L, 6L, 7L, 8L, 9L), ids(room().getHistoryBefore(null, 100L)));
  }

  // ---------------------------------------------------------------- rate limits

  @Test
  void eachConnectionMaySend10MessagesPer10Seconds() {
    ManualClock clock = start();
    TestConnection alice = connect("alice");
    long t0 = clock.millis();
    for (int i = 0; i < 10; i++) {
      alice.action("sendMessage", Map.class, "alice", "m" + i);
      clock.advance(Duration.ofMillis(500));
    }
    // t0 + 5000: the window holds t0 … t0+4500; the oldest leaves at t0 + 10000
    RivetError limited = userError("rate_limited",
        "too many messages: at most 10 per 10 s per connection; try again in 5 s",
        () -> alice.action("sendMessage", Map.class, "alice", "too fast"));
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("retryAfterMs", 5000L);
    expected.put("limit", 10L);
    expected.put("windowMs", 10_000L);
    assertEquals(expected, limited.metadata().orElseThrow());
    assertEquals(10, room().getHistory().size()); // nothing stored
    // another connection has its own budget
    connect("bob").action("sendMessage", Map.class, "bob", "hi");
    clock.advance(Duration.ofMillis(4999)); // t0 + 9999
    RivetError stillLimited = userError("rate_limited",
        "too many messages: at most 10 per 10 s per connection; try again in 1 s",
        () -> alice.action("sendMessage", Map.class, "alice", "still too fast"));
    assertEquals(1L, ((Map<?, ?>) stillLimited.metadata().orElseThrow()).get("retryAfterMs"));
    clock.advance(Duration.ofMillis(1)); // t0 + 10000: the first send left the window
    alice.action("sendMessage", Map.class, "alice", "again");
    assertEquals(t0 + 10_000, room().getHistory().get(11).timestamp());
    userError("rate_limited",
        "too many messages: at most 10 per 10 s per connection; try again in 1 s",
        () -> alice.action("sendMessage", Map.class, "alice", "one more")); // t0+500 leaves next
  }

  @Test
  void rateLimitIsConfigurable() {
    ManualClock clock = start(ChatRoomConfig.defaults().withRateLimit(2, Duration.ofMillis(1500)));
    TestConnection alice = connect("alice");
    alice.action("sendMessage", Map.class, "alice", "1");
    alice.action("sendMessage", Map.class, "alice", "2");
    RivetError e = userError("rate_limited",
        "too many messages: at most 2 per 1500 ms per connection; try again in 2 s",
        () -> alice.action("sendMessage", Map.class, "alice", "3"));
    assertEquals(1500L, ((Map<?, ?>) e.metadata().orElseThrow()).get("retryAfterMs"));
    clock.advance(Duration.ofMillis(1500));
    alice.action("sendMessage", Map.class, "alice", "3");
  }

  // ---------------------------------------------------------------- authentication

  @Test
  void connectionsWithoutTheSecretAreForbidden() {
    start();
    TestConnection observer = connect(null, "presence");
    String forbidden = "this room needs a valid token: connect with the params"
        + " {token: <the server's CHAT_SECRET>}";
    List<Object> refused = new ArrayList<>();
    refused.add(null);
    refused.add(Map.of());
    refused.add(Map.of("name", "mallory"));
    refused.add(Map.of("token", "wrong", "name", "mallory"));
    refused.add(Map.of("token", 42L));
    refused.add(Map.of("token", SECRET + " "));
    refused.add(SECRET);
    for (Object params : refused) {
      userError("forbidden", forbidden, () -> rivet.connect("chatRoom", ROOM, params));
    }
    assertEquals(List.of(), room().getPresence());
    TestConnection alice = connect("alice");
    assertEquals(List.of("alice"), alice.action("getPresence", List.class));
    assertEquals(List.of(new Received("presence", List.of(List.of("alice")))),
        observer.awaitEvents(1)); // the refused ones never showed up
  }

  @Test
  void theSecretComesFromChatSecret() {
    start(ChatRoomConfig.fromEnv(Map.of("CHAT_SECRET", "s3cret")));
    userError("forbidden", "this room needs a valid token: connect with the params"
        + " {token: <the server's CHAT_SECRET>}", () -> connect("alice"));
    TestConnection alice = connectWith(Map.of("token", "s3cret", "name", "alice"));
    assertEquals(List.of("alice"), alice.action("getPresence", List.class));
  }

  @Test
  void namesAreTrimmedAndLimitedTo64Characters() {
    start();
    for (Object bad : new Object[] {"", " \t ", "n".repeat(65), 42L, List.of("a")}) {
      userError("invalid_name", "name must be 1-64 characters",
          () -> connectWith(Map.of("token", SECRET, "name", bad)));
    }
    connect("  " + "n".repeat(64) + "\n");
    connect(" alice ");
    assertEquals(List.of("alice", "n".repeat(64)), room().getPresence());
  }

  // ---------------------------------------------------------------- presence

  @Test
  void presenceListsNamesOnlineOnceAndBroadcastsOnlyChanges() {
    start();
    TestConnection observer = connect(null, "presence"); // no name: not in the list
    assertEquals(List.of(), observer.action("getPresence", List.class));
    TestConnection alice = connect("alice");
    TestConnection bob = connect("bob");
    TestConnection carol = connect("Carol");
    TestConnection alice2 = connect("alice"); // a second tab: no change
    assertEquals(List.of("alice", "bob", "Carol"), bob.action("getPresence", List.class));
    alice.close(); // alice is still online through her second tab
    carol.close();
    alice2.close();
    List<Received> events = observer.awaitEvents(5);
    assertEquals(List.of(
        List.of("alice"),
        List.of("alice", "bob"),
        List.of("alice", "bob", "Carol"),
        List.of("alice", "bob"),
        List.of("bob")), events.stream().map(r -> r.args().get(0)).toList());
    assertTrue(events.stream().allMatch(r -> r.name().equals("presence")));
    assertEquals(List.of("bob"), room().getPresence());
  }

  @Test
  void presenceIsRebuiltFromTheConnectionsAfterSleep() {
    start();
    connect("alice");
    connect("bob");
    rivet.sleep("chatRoom", ROOM);
    assertEquals(List.of("alice", "bob"), room().getPresence());
  }

  // ---------------------------------------------------------------- typing

  @Test
  void typingIsBroadcastWhenANamesStateChanges() {
    start();
    TestConnection observer = connect(null, "typing", "newMessage");
    TestConnection alice = connect("alice");
    TestConnection alice2 = connect("alice");
    alice.action("setTyping", Object.class, true);
    alice.action("setTyping", Object.class, true); // unchanged: no event
    alice2.action("setTyping", Object.class, true); // alice was typing already
    alice.action("setTyping", Object.class, false); // still typing in the other tab
    alice2.action("setTyping", Object.class, false);
    alice.action("setTyping", Object.class, true);
    alice.action("sendMessage", Map.class, "alice", "done"); // sending stops typing
    alice2.action("setTyping", Object.class, true);
    alice2.close(); // leaving stops typing
    List<Received> events = observer.awaitEvents(7);
    assertEquals(List.of(
        new Received("typing", List.of(new Typing("alice", true))),
        new Received("typing", List.of(new Typing("alice", false))),
        new Received("typing", List.of(new Typing("alice", true))),
        new Received("newMessage", List.of(new Message("alice", "done",
            rivet.clock().millis()))),
        new Received("typing", List.of(new Typing("alice", false))),
        new Received("typing", List.of(new Typing("alice", true))),
        new Received("typing", List.of(new Typing("alice", false)))), events);
    @SuppressWarnings("unchecked")
    Map<String, Object> wire = connect("bob").action("getHistoryBefore", Map.class, null, 1L);
    assertEquals(1, ((List<?>) wire.get("messages")).size());
  }

  @Test
  void typingNeedsAConnectionWithAName() {
    start();
    String message =
        "setTyping needs a connection with a name: connect with the params {token, name}";
    TestConnection anonymous = connect(null);
    userError("name_required", message, () -> anonymous.action("setTyping", Object.class, true));
    userError("name_required", message, () -> room().setTyping(true));
  }
}
