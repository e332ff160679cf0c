package io.rivet4j.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.client.ActorError;
import io.rivet4j.protocol.Encoding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Endpoint parsing, environment defaults, URL text, retry tables and close reasons. */
class ClientConfigTest {
  private static ClientConfig resolve(String endpoint, String namespace, String token,
      Map<String, String> env) {
    return ClientConfig.resolve(endpoint, namespace, token, null, Encoding.BARE, Map.of(),
        ClientConfig.DEFAULT_CONNECT_TIMEOUT, ClientConfig.DEFAULT_REQUEST_TIMEOUT, 4096, true,
        env);
  }

  @Test
  void endpointUserInfoCarriesNamespaceAndToken() {
    ClientConfig c = resolve("https://my%20ns:t%3Aok@api.example.com/base/", null, null,
        Map.of("RIVET_NAMESPACE", "env-ns", "RIVET_TOKEN", "env-token"));
    assertEquals("https://api.example.com/base", c.endpoint());
    assertEquals("my ns", c.namespace());
    assertEquals(Optional.of("t:ok"), c.token());

    ClientConfig nsOnly = resolve("http://ns@127.0.0.1:6420", null, null, Map.of());
    assertEquals("http://127.0.0.1:6420", nsOnly.endpoint());
    assertEquals("ns", nsOnly.namespace());
    assertEquals(Optional.empty(), nsOnly.token());
  }

  @Test
  void optionsThenEnvironmentThenDefaults() {
    ClientConfig defaults = resolve(null, null, null, Map.of());
    assertEquals("http://127.0.0.1:6420", defaults.endpoint());
    assertEquals("default", defaults.namespace());
    assertEquals(Optional.empty(), defaults.token());
    assertEquals("default", defaults.poolName());

    Map<String, String> env = Map.of("RIVET_ENDPOINT", "http://10.0.0.1:7000",
        "RIVET_NAMESPACE", "env-ns", "RIVET_TOKEN", "env-token", "RIVET_POOL", "pool-a");
    ClientConfig fromEnv = resolve(null, null, null, env);
    assertEquals("http://10.0.0.1:7000", fromEnv.endpoint());
    assertEquals("env-ns", fromEnv.namespace());
    assertEquals(Optional.of("env-token"), fromEnv.token());
    assertEquals("pool-a", fromEnv.poolName());
    assertEquals("http://10.0.0.2", resolve(null, null, null,
        Map.of("RIVET_ENGINE", "http://10.0.0.2", "RIVET_ENDPOINT", "http://x")).endpoint());

    ClientConfig explicit = resolve("http://h", "opt-ns", "opt-token", env);
    assertEquals("opt-ns", explicit.namespace());
    assertEquals(Optional.of("opt-token"), explicit.token());
    assertEquals("env-ns", resolve("http://h", null, null, env).namespace());
  }

  @Test
  void badEndpointsAreRefusedWithAReason() {
    assertMessage("query string", () -> resolve("http://h/?a=1", null, null, Map.of()));
    assertMessage("fragment", () -> resolve("http://h/#x", null, null, Map.of()));
    assertMessage("token without a namespace",
        () -> resolve("http://:tok@h", null, null, Map.of()));
    assertMessage("namespace both", () -> resolve("http://ns@h", "ns2", null, Map.of()));
    assertMessage("token both", () -> resolve("http://ns:t@h", null, "t2", Map.of()));
    assertMessage("expected http://", () -> resolve("ftp://h", null, null, Map.of()));
    assertMessage("invalid endpoint URL", () -> resolve("http://h h", null, null, Map.of()));
  }

  private static void assertMessage(String part, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void urlTextMatchesJavaScript() {
    assertEquals("a%2Fb%20c%C3%A9%F0%9F%8E%89-_.!~*'()", Urls.component("a/b cé🎉-_.!~*'()"));
    assertEquals("rvt-key=k-bare%2Ca%2Fb+c*", Urls.formPair("rvt-key", "k-bare,a/b c*"));
    assertEquals("http://h:1/base/gateway/x?q=1&namespace=n",
        Urls.combine("http://h:1/base", "//gateway//x?q=1", "namespace=n"));
    assertEquals("http://h/metadata", Urls.combine("http://h", "metadata", null));
    assertEquals("foo%20bar/%7Bx%7D?a=%22b%22&c=d%25", Urls.lenient("foo bar/{x}?a=\"b\"&c=d%25"));
    assertEquals("ws://h:1/x", Urls.webSocket("http://h:1/x"));
    assertEquals("wss://h/x", Urls.webSocket("https://h/x"));
    assertEquals("a b/é", Urls.decode("a%20b%2F%C3%A9"));
  }

  @Test
  void reconnectBackoffAndLifecycleDelays() {
    assertEquals(List.of(0L, 250L, 500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L),
        java.util.stream.IntStream.range(0, 10).mapToObj(Retries::backoff)
            .map(Duration::toMillis).toList());
    assertEquals(30000L, Retries.backoff(1000).toMillis());
    assertEquals(List.of(25L, 50L, 100L, 200L, 200L), java.util.stream.IntStream.range(0, 5)
        .mapToObj(Retries::lifecycleDelay).map(Duration::toMillis).toList());
  }

  @Test
  void retryClassificationFollowsTheJavaScriptClient() {
    assertTrue(Retries.stale(new ActorError("actor", "not_found", "m")));
    assertTrue(Retries.stale(new ActorError("actor", "destroyed_during_creation", "m")));
    assertTrue(!Retries.stale(new ActorError("actor", "destroying", "m")));
    assertTrue(Retries.dynamicRetry(new ActorError("actor", "destroying", "m")));
    assertTrue(Retries.scheduling(new ActorError("guard", "actor_ready_timeout", "m")));
    assertTrue(Retries.lifecycleRequest(new ActorError("guard", "actor_wake_retries_exceeded",
        "m")));
    assertTrue(Retries.lifecycleRequest(new ActorError("actor", "restarting", "m")));
    assertTrue(Retries.lifecycleRequest(new ActorError("actor", "internal_error",
        "Actor is stopping")));
    assertTrue(!Retries.lifecycleRequest(new ActorError("actor", "stopping",
        "database accessed after actor stopped")));
    assertTrue(Retries.reconnectSignal(new ActorError("ws", "going_away", "m")));
    assertTrue(Retries.reconnectSignal(new ActorError("actor", "stopped", "m")));
    assertTrue(!Retries.reconnectSignal(new ActorError("user", "rejected", "m")));
  }

  @Test
  void closeReasonsParseAsRivetKitDoes() {
    ActorError e = Connection.parseCloseReason("actor.not_found#xokxal00");
    assertEquals("actor.not_found", e.qualifiedCode());
    assertEquals(Optional.of("xokxal00"), e.rayId());
    assertEquals("Connection closed: actor.not_found#xokxal00", e.getMessage());
    assertEquals("ws.going_away", Connection.parseCloseReason("ws.going_away").qualifiedCode());
    assertNull(Connection.parseCloseReason("kicked by server"));
    assertNull(Connection.parseCloseReason("Disposed"));
    assertNull(Connection.parseCloseReason(""));
    assertNull(Connection.parseCloseReason(".x"));
  }

  @Test
  void headerParamsAreAsciiJson() {
    assertEquals("{\"t\":\"\\u00e9\\u6f22\\ud83c\\udf89\"}",
        NetworkHandle.headerJson(Map.of("t", "é漢🎉")));
    assertTrue(NetworkHandle.truthy(Map.of()));
    assertTrue(!NetworkHandle.truthy(0L));
    assertTrue(!NetworkHandle.truthy(""));
    assertTrue(!NetworkHandle.truthy(false));
    assertTrue(!NetworkHandle.truthy(null));
  }
}
