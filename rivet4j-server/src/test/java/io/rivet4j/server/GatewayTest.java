package io.rivet4j.server;

import static io.rivet4j.server.Harness.getOrCreate;
import static io.rivet4j.server.Harness.text;
import static io.rivet4j.server.Harness.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gateway routing (client-protocol.md §2.1–§2.3) and the actor router's own answers (§4.1). */
class GatewayTest {
  static Harness h;

  @BeforeAll
  static void start() {
    h = Harness.start();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static HttpResponse<byte[]> getInput(String gatewayPath) {
    return h.action(gatewayPath, "json", utf8("{\"args\":[]}"));
  }

  static String id(HttpResponse<byte[]> r) {
    return r.headers().firstValue("x-rivet-actor").orElseThrow();
  }

  @Test
  void compoundKeysWithSlashAndBackslash() {
    // key ["k", "a/b", "c\d"]: the client joins parts with ',' in rvt-key
    HttpResponse<byte[]> r = getInput("/gateway/counter/action/getInput?"
        + getOrCreate("k%2Ca%2Fb%2Cc%5Cd"));
    assertEquals(200, r.statusCode(), text(r));
    assertEquals("{\"output\":{\"input\":null,\"key\":[\"k\",\"a/b\",\"c\\\\d\"],\"params\":null,"
        + "\"actorId\":\"" + id(r) + "\"}}", text(r));
    assertEquals("k/a\\/b/c\\\\d", r.headers().firstValue("x-rivet-actor-key").orElseThrow());
    // REST serialization of the same key finds the same actor
    HttpResponse<byte[]> rest = h.get("/actors?name=counter&key=k%2Fa%5C%2Fb%2Fc%5C%5Cd"
        + "&namespace=default");
    assertEquals(id(r), RestApiTest.json(rest).get("actors").get(0).get("actor_id").asText());
    // a ',' always splits: "a,b" is the key ["a", "b"] (the engine's reading, observed)
    HttpResponse<byte[]> comma = getInput("/gateway/counter/action/getInput?"
        + getOrCreate("a%2Cb"));
    assertTrue(text(comma).contains("\"key\":[\"a\",\"b\"]"), text(comma));
  }

  @Test
  void emptyKey() {
    HttpResponse<byte[]> r = getInput("/gateway/counter/action/getInput?" + getOrCreate(null));
    assertEquals(200, r.statusCode());
    assertTrue(text(r).contains("\"key\":[]"), text(r));
    assertEquals("", r.headers().firstValue("x-rivet-actor-key").orElseThrow());
    HttpResponse<byte[]> emptyValue = getInput("/gateway/counter/action/getInput?"
        + getOrCreate(""));
    assertEquals(id(r), id(emptyValue));
    HttpResponse<byte[]> rest = h.get("/actors?name=counter&key=%2F&namespace=default");
    assertEquals(id(r), RestApiTest.json(rest).get("actors").get(0).get("actor_id").asText());
    assertEquals("/", RestApiTest.json(rest).get("actors").get(0).get("key").asText());
  }

  @Test
  void emptyKeyPartByIdWithToken() {
    // ["", "x\y"] serializes as \0/x\\y (capture §2.1)
    HttpResponse<byte[]> created = h.method("POST", "/actors?namespace=default",
        utf8("{\"name\":\"counter\",\"key\":\"\\\\0/x\\\\\\\\y\"}"));
    assertEquals(200, created.statusCode(), text(created));
    String id = RestApiTest.json(created).get("actor").get("actor_id").asText();
    assertEquals("\\0/x\\\\y", RestApiTest.json(created).get("actor").get("key").asText());
    HttpResponse<byte[]> r = getInput("/gateway/" + id + "/action/getInput");
    assertEquals("{\"output\":{\"input\":null,\"key\":[\"\",\"x\\\\y\"],\"params\":null,"
        + "\"actorId\":\"" + id + "\"}}", text(r));
    HttpResponse<byte[]> withToken = getInput("/gateway/" + id + "@anytoken/action/getInput");
    assertEquals(text(r), text(withToken));
  }

  @Test
  void inputInTheUrl() {
    // {hello:"world"} → cbor-x b9 0001 65 68656c6c6f 65 776f726c64 (capture §2.2)
    HttpResponse<byte[]> r = getInput("/gateway/counter/action/getInput?rvt-namespace=default"
        + "&rvt-method=getOrCreate&rvt-runner=default&rvt-key=with-input"
        + "&rvt-input=uQABZWhlbGxvZXdvcmxk&rvt-crash-policy=sleep");
    assertTrue(text(r).startsWith("{\"output\":{\"input\":{\"hello\":\"world\"},"), text(r));
    String tooBig = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(new byte[4097]);
    HttpResponse<byte[]> big = getInput("/gateway/counter/action/getInput?rvt-namespace=default"
        + "&rvt-method=getOrCreate&rvt-key=big-input&rvt-input=" + tooBig);
    assertEquals(400, big.statusCode());
    assertEquals("guard.query_invalid_params",
        big.headers().firstValue("x-rivet-error").orElseThrow());
  }

  @Test
  void getMissIsActorNotFound() {
    HttpResponse<byte[]> r = getInput("/gateway/counter/action/getCount?rvt-namespace=default"
        + "&rvt-method=get&rvt-key=missing");
    assertEquals(404, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
    assertEquals("actor.not_found", r.headers().firstValue("x-rivet-error").orElseThrow());
    assertTrue(text(r).startsWith("{\"group\":\"actor\",\"code\":\"not_found\",\"message\":"),
        text(r));
    HttpResponse<byte[]> byId = getInput("/gateway/nosuchactor00000000000000000000/action/x");
    assertEquals(404, byId.statusCode());
    assertEquals("actor.not_found", byId.headers().firstValue("x-rivet-error").orElseThrow());
  }

  @Test
  void queryParameterErrors() {
    HttpResponse<byte[]> noNs = getInput("/gateway/counter/action/x?rvt-method=get&rvt-key=a");
    assertEquals(400, noNs.statusCode());
    assertEquals("{\"group\":\"guard\",\"code\":\"query_invalid_params\",\"message\":\"invalid"
        + " query gateway params: missing field `namespace`\",\"metadata\":{\"detail\":\"missing"
        + " field `namespace`\"}}", text(noNs));
    HttpResponse<byte[]> noMethod = getInput("/gateway/counter/action/x?rvt-namespace=default");
    assertEquals("invalid query gateway params: missing field `method`",
        RestApiTest.json(noMethod).get("message").asText());
    HttpResponse<byte[]> badMethod = getInput(
        "/gateway/counter/action/x?rvt-namespace=default&rvt-method=foo&rvt-key=a");
    assertEquals("invalid query gateway params: unknown method: foo, expected get or"
        + " getOrCreate", RestApiTest.json(badMethod).get("message").asText());
    HttpResponse<byte[]> badNs = getInput(
        "/gateway/counter/action/x?rvt-namespace=nope&rvt-method=get&rvt-key=a");
    assertEquals(400, badNs.statusCode());
    assertEquals("namespace.not_found", badNs.headers().firstValue("x-rivet-error")
        .orElseThrow());
    HttpResponse<byte[]> unknownType = getInput("/gateway/nosuch/action/x?" + getOrCreate("a"));
    assertEquals(404, unknownType.statusCode());
  }

  @Test
  void actorRouterAnswers() {
    String q = "?" + getOrCreate("router");
    HttpResponse<byte[]> banner = h.get("/gateway/counter" + q);
    assertEquals(200, banner.statusCode());
    assertEquals("This is an RivetKit actor.\n\nLearn more at https://rivetkit.org", text(banner));
    String id = id(banner);
    assertEquals(text(banner), text(h.get("/gateway/" + id)));

    HttpResponse<byte[]> unknown = h.action("/gateway/counter/foo" + q, "json",
        utf8("{\"args\":[]}"));
    assertEquals(404, unknown.statusCode());
    assertEquals("{\"actor\":{\"actorId\":\"" + id + "\",\"generation\":1,\"key\":\"router\"},"
        + "\"code\":\"not_found\",\"group\":\"actor\",\"message\":\"Actor route '/foo' was not"
        + " found.\",\"metadata\":{\"id\":\"/foo\",\"resource\":\"route\"}}", text(unknown));

    HttpResponse<byte[]> get = h.get("/gateway/counter/action/increment" + q,
        "x-rivet-encoding", "json");
    assertEquals(405, get.statusCode());
    assertEquals("{\"actor\":{\"actorId\":\"" + id + "\",\"generation\":1,\"key\":\"router\"},"
        + "\"code\":\"method_not_allowed\",\"group\":\"actor\",\"message\":\"Method not allowed\","
        + "\"metadata\":{\"method\":\"GET\",\"path\":\"/action/increment\"}}", text(get));

    HttpResponse<byte[]> getQueue = h.get("/gateway/counter/queue/jobs" + q,
        "x-rivet-encoding", "json");
    assertEquals(405, getQueue.statusCode()); // a queue send is a POST, as an action
    assertTrue(text(getQueue).contains("\"metadata\":{\"method\":\"GET\",\"path\":"
        + "\"/queue/jobs\"}"), text(getQueue));

    // /request/* without onRequest is a bare 404 (RawRoutesTest); these are not routes
    for (String raw : new String[] {"/websocket/foo", "/connect"}) {
      HttpResponse<byte[]> r = h.get("/gateway/counter" + raw + q, "x-rivet-encoding", "json");
      assertEquals(404, r.statusCode(), raw);
      assertTrue(text(r).contains("\"message\":\"Actor route '" + raw + "' was not found.\""),
          text(r));
    }
    // an action name is one path segment, percent-decoded
    HttpResponse<byte[]> encoded = h.action("/gateway/counter/action/get%43ount" + q, "json",
        utf8("{\"args\":[]}"));
    assertEquals("{\"output\":0}", text(encoded));
  }

  @Test
  void requestBodiesAreCapped() {
    try (Harness t = Harness.start(ServerConfig.defaults().withMaxRequestBodySize(1000))) {
      HttpResponse<byte[]> r = t.action("/gateway/counter/action/echo?" + getOrCreate("cap"),
          "json", new byte[2000]);
      assertEquals(413, r.statusCode());
      assertEquals("{\"group\":\"guard\",\"code\":\"invalid_request_body\",\"message\":"
          + "\"request body exceeded the 1000-byte limit\"}", text(r));
      assertEquals(200, t.get("/health").statusCode()); // the server carries on
    }
  }

  @Test
  void tokenIsEnforcedWhenConfigured() {
    try (Harness t = Harness.start(ServerConfig.defaults().withToken("sekrit"))) {
      assertEquals(200, t.get("/metadata?namespace=default").statusCode());
      assertEquals(200, t.get("/health").statusCode());
      HttpResponse<byte[]> none = t.get("/actors?name=counter&key=a&namespace=default");
      assertEquals(401, none.statusCode());
      assertEquals("{\"group\":\"api\",\"code\":\"unauthorized\",\"message\":\"Authentication"
          + " required\"}", text(none));
      HttpResponse<byte[]> wrong = t.get("/actors?name=counter&key=a&namespace=default",
          "Authorization", "Bearer nope");
      assertEquals(403, wrong.statusCode());
      assertEquals(200, t.get("/actors?name=counter&key=a&namespace=default",
          "Authorization", "Bearer sekrit").statusCode());

      String path = "/gateway/counter/action/getCount?" + getOrCreate("tok");
      assertEquals(401, t.action(path, "json", utf8("{}")).statusCode());
      assertEquals(403, t.action(path, "json", utf8("{}"), "x-rivet-token", "bad").statusCode());
      HttpResponse<byte[]> header = t.action(path, "json", utf8("{}"), "x-rivet-token",
          "sekrit");
      assertEquals(200, header.statusCode());
      assertEquals(200, t.action(path + "&rvt-token=sekrit", "json", utf8("{}")).statusCode());
      String id = id(header);
      assertEquals(200, t.action("/gateway/" + id + "@sekrit/action/getCount", "json",
          utf8("{}")).statusCode());
      assertEquals(403, t.action("/gateway/" + id + "@nope/action/getCount", "json",
          utf8("{}")).statusCode());

      WsClient denied = t.ws("/gateway/" + id + "/connect", "rivet", "rivet_encoding.json");
      WsClient.Close close = denied.awaitClose();
      assertEquals(1011, close.code());
      assertTrue(close.reason().startsWith("api.unauthorized#"), close.reason());
      WsClient allowed = t.ws("/gateway/" + id + "@sekrit/connect", "rivet",
          "rivet_encoding.json");
      assertTrue(allowed.next().string().startsWith("{\"body\":{\"tag\":\"Init\""));
      allowed.close(1000, "Disposed");
      WsClient viaProtocol = t.ws("/gateway/" + id + "/connect", "rivet", "rivet_encoding.json",
          "rivet_token.sekrit");
      assertTrue(viaProtocol.next().string().startsWith("{\"body\":{\"tag\":\"Init\""));
      viaProtocol.close(1000, "Disposed");
    }
  }
}
