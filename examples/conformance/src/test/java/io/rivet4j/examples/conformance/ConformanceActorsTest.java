package io.rivet4j.examples.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.testkit.TestConnection;
import io.rivet4j.testkit.TestRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance actors in-process (spec/conformance-actors.md). The official JavaScript client
 * drives the same actors over the wire in interop-tests/.
 */
class ConformanceActorsTest {
  private TestRegistry rivet;

  @BeforeEach
  void start() {
    rivet = TestRegistry.start(ConformanceActors.registry());
  }

  @AfterEach
  void stop() {
    rivet.close();
  }

  @Test
  void counterIncrementsAndBroadcasts() {
    try (TestConnection conn = rivet.connect("counter", Key.of("c"), null)) {
      conn.subscribe(Counter.NEW_COUNT);
      Counter counter = rivet.client().getOrCreate(Counter.class, Key.of("c"));
      assertEquals(5.0, counter.increment(5));
      assertEquals(3.0, counter.increment(-2));
      assertEquals(3.0, counter.getCount());
      assertEquals(List.of(List.of(5L), List.of(3L)), conn.awaitEvents(2).stream()
          .map(r -> r.args().stream().map(a -> ((Number) a).longValue()).toList()).toList());
    }
  }

  @Test
  void conformanceStateHooksAndVars() {
    Key key = Key.of("org", "room", "a/b");
    ActorHandle h = rivet.client().getOrCreate("conformance", key, Map.of("v", 1L));
    Conformance typed = h.as(Conformance.class);
    assertEquals(1L, ((Number) h.action("getInput", Map.class).get("v")).longValue());
    assertEquals(key.parts(), typed.getKey());
    assertEquals(h.resolve(), typed.getActorId());
    assertEquals(1L, typed.getWakes());
    assertEquals(2.0, h.action("increment", Double.class, 2L));
    assertEquals(3.0, h.action("increment", Double.class, "not a number"));
    assertEquals(List.of(1L, "ü"), h.action("echo", Object.class, List.of(1L, "ü")));
    String nonce = typed.getVarsNonce();
    rivet.sleep("conformance", key);
    assertEquals(2L, typed.getWakes());
    assertNotEquals(nonce, typed.getVarsNonce());
    assertEquals(3.0, typed.getCount());
  }

  @Test
  void errorsAreUserErrorsOrMasked() {
    ActorHandle h = rivet.client().getOrCreate("conformance", Key.of("e"));
    RivetError user = assertThrows(RivetError.class,
        () -> h.action("throwUserError", Object.class, "quota_exceeded", "Too many", Map.of("limit", 10L)));
    assertEquals("user.quota_exceeded", user.qualifiedCode());
    assertEquals("Too many", user.getMessage());
    assertEquals(Map.of("limit", 10L), user.metadata().orElseThrow());
    RivetError bare = assertThrows(RivetError.class,
        () -> h.action("throwUserError", Object.class, "c2", "m2"));
    assertEquals(java.util.Optional.empty(), bare.metadata());
    RivetError internal = assertThrows(RivetError.class, () -> h.action("throwInternal", Object.class));
    assertEquals("rivetkit.internal_error", internal.qualifiedCode());
  }

  @Test
  void connectionParamsAndRejection() {
    try (TestConnection bob = rivet.connect("conformance", Key.of("p"), Map.of("name", "bob"))) {
      assertEquals(Map.of("name", "bob"), bob.action("whoAmI", Map.class));
      assertEquals(1, bob.action("connCount", Integer.class));
    }
    RivetError rejected = assertThrows(RivetError.class,
        () -> rivet.connect("conformance", Key.of("p"), Map.of("token", "bad")));
    assertEquals("user.forbidden", rejected.qualifiedCode());
    assertEquals("connection rejected", rejected.getMessage());
  }

  @Test
  void scheduleIncrementFiresAfterItsDelay() {
    ActorHandle h = rivet.client().getOrCreate("conformance", Key.of("s"));
    h.action("scheduleIncrement", Object.class, 500L, 5L);
    rivet.clock().advance(Duration.ofMillis(499));
    assertEquals(0.0, h.action("getCount", Double.class));
    rivet.clock().advance(Duration.ofMillis(1));
    rivet.awaitEvents(e -> e.kind().equals("scheduleFired"), 1);
    assertEquals(5.0, h.action("getCount", Double.class));
  }

  @Test
  void chatValidationRunsBeforeTheDatabase() {
    ActorHandle room = rivet.client().getOrCreate("chatRoom", Key.of("r"));
    RivetError e = assertThrows(RivetError.class,
        () -> room.action("sendMessage", Object.class, "", "x"));
    assertEquals("user.invalid_message", e.qualifiedCode());
    assertEquals("sender must be 1-64 characters", e.getMessage());
    e = assertThrows(RivetError.class, () -> room.action("sendMessage", Object.class, 42L, "x"));
    assertEquals("sender must be a string", e.getMessage());
    e = assertThrows(RivetError.class, () -> room.action("sendMessage", Object.class, "bob"));
    assertEquals("text must be a string", e.getMessage());
  }

  @Test
  void javaScriptTrim() {
    assertEquals("hi", JsStrings.trim("\t hi  \n"));
    assertEquals("eve", JsStrings.trim("\u00a0\ufeff\u2028 eve \u3000\u202f\u1680"));
    assertEquals("\u001cx\u001c", JsStrings.trim("\u001cx\u001c")); // not JS white space
    assertEquals("", JsStrings.trim(" \u000b\f\r\n\u2029 "));
  }

  @Test
  void timeoutsFromTheEnvironment() {
    var options = ConformanceActors.optionsFromEnv(Map.of("RIVET_SLEEP_TIMEOUT_MS", "1500",
        "RIVET_ACTION_TIMEOUT_MS", "2500", "RIVET_SLEEP_GRACE_MS", "700"))
        .apply(io.rivet4j.api.ActorOptions.DEFAULTS);
    assertEquals(Duration.ofMillis(1500), options.sleepTimeout());
    assertEquals(Duration.ofMillis(2500), options.actionTimeout());
    assertEquals(Duration.ofMillis(700), options.sleepGracePeriod());
    assertThrows(IllegalArgumentException.class,
        () -> ConformanceActors.optionsFromEnv(Map.of("RIVET_SLEEP_TIMEOUT_MS", "soon")));
  }
}
