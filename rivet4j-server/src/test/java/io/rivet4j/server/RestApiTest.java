package io.rivet4j.server;

import static io.rivet4j.server.Harness.text;
import static io.rivet4j.server.Harness.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine REST API the client uses to resolve actors (client-protocol.md §2.5, §7). */
class RestApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static Harness h;

  @BeforeAll
  static void start() {
    h = Harness.start();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static JsonNode json(HttpResponse<byte[]> r) {
    try {
      return JSON.readTree(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(text(r), e);
    }
  }

  @Test
  void metadataAndHealth() {
    HttpResponse<byte[]> meta = h.get("/metadata?namespace=default");
    assertEquals(200, meta.statusCode());
    assertEquals("application/json", meta.headers().firstValue("content-type").orElseThrow());
    assertEquals("{\"runtime\":\"rivet4j\",\"version\":\"" + RivetServer.version()
        + "\",\"actorNames\":{\"counter\":{\"metadata\":{}},\"raw\":{\"metadata\":{}}}}",
        text(meta));
    HttpResponse<byte[]> health = h.get("/health");
    assertEquals(200, health.statusCode());
    assertEquals("{\"runtime\":\"rivet4j\",\"status\":\"ok\",\"version\":\""
        + RivetServer.version() + "\"}", text(health));
    assertTrue(RivetServer.version().matches("\\d+\\.\\d+\\.\\d+.*"), RivetServer.version());
  }

  @Test
  void createThenGetByKeyAndById() {
    HttpResponse<byte[]> created = h.method("POST", "/actors?namespace=default", utf8(
        "{\"name\":\"counter\",\"runner_name_selector\":\"default\",\"key\":\"rest-a/x\\\\/y\","
            + "\"input\":\"GCo=\",\"crash_policy\":\"sleep\"}"),
        "content-type", "application/json");
    assertEquals(200, created.statusCode(), text(created));
    JsonNode actor = json(created).get("actor");
    String id = actor.get("actor_id").asText();
    assertEquals(30, id.length());
    assertEquals("counter", actor.get("name").asText());
    assertEquals("rest-a/x\\/y", actor.get("key").asText());
    assertTrue(actor.get("create_ts").isNumber());
    assertTrue(actor.get("connectable_ts").isNumber());
    assertTrue(actor.get("destroy_ts").isNull());
    assertEquals(false, json(created).has("created"));

    HttpResponse<byte[]> byKey = h.get("/actors?name=counter&key=rest-a%2Fx%5C%2Fy"
        + "&namespace=default");
    assertEquals(200, byKey.statusCode());
    assertEquals(id, json(byKey).get("actors").get(0).get("actor_id").asText());
    assertEquals(1, json(byKey).get("actors").size());
    assertTrue(json(byKey).get("pagination").get("cursor").isNull());

    HttpResponse<byte[]> byId = h.get("/actors?actor_ids=" + id + ",nosuchid&namespace=default");
    assertEquals(1, json(byId).get("actors").size());
    assertEquals(id, json(byId).get("actors").get(0).get("actor_id").asText());

    HttpResponse<byte[]> absent = h.get("/actors?name=counter&key=nobody&namespace=default");
    assertEquals(200, absent.statusCode());
    assertEquals("{\"actors\":[],\"pagination\":{\"cursor\":null}}", text(absent));

    // The input reached createState: 42 (CBOR 18 2a)
    HttpResponse<byte[]> input = h.action("/gateway/" + id + "/action/getInput", "json",
        utf8("{\"args\":[]}"));
    assertEquals("{\"output\":{\"input\":42,\"key\":[\"rest-a\",\"x/y\"],\"params\":null,"
        + "\"actorId\":\"" + id + "\"}}", text(input));
  }

  @Test
  void getOrCreateReportsCreated() {
    String body = "{\"name\":\"counter\",\"key\":\"goc\",\"runner_name_selector\":\"default\","
        + "\"crash_policy\":\"sleep\"}";
    HttpResponse<byte[]> first = h.method("PUT", "/actors?namespace=default", utf8(body));
    assertEquals(200, first.statusCode(), text(first));
    assertEquals(true, json(first).get("created").asBoolean());
    HttpResponse<byte[]> second = h.method("PUT", "/actors?namespace=default", utf8(body));
    assertEquals(false, json(second).get("created").asBoolean());
    assertEquals(json(first).get("actor").get("actor_id"),
        json(second).get("actor").get("actor_id"));
  }

  @Test
  void duplicateCreateIsActorDuplicateKey() {
    String body = "{\"name\":\"counter\",\"runner_name_selector\":\"default\",\"key\":\"dup\","
        + "\"crash_policy\":\"sleep\"}";
    String id = json(h.method("POST", "/actors?namespace=default", utf8(body)))
        .get("actor").get("actor_id").asText();
    HttpResponse<byte[]> dup = h.method("POST", "/actors?namespace=default", utf8(body));
    assertEquals(400, dup.statusCode());
    JsonNode err = json(dup);
    assertEquals("actor", err.get("group").asText());
    assertEquals("duplicate_key", err.get("code").asText());
    assertEquals(id, err.get("metadata").get("existing_actor_id").asText());
    assertEquals("dup", err.get("metadata").get("key").asText());
    assertEquals("actor.duplicate_key", dup.headers().firstValue("x-rivet-error").orElseThrow());
  }

  @Test
  void namespaceIsRequiredAndChecked() {
    HttpResponse<byte[]> missing = h.get("/actors?name=counter&key=a");
    assertEquals(400, missing.statusCode());
    assertEquals("{\"group\":\"api\",\"code\":\"bad_request\",\"message\":\"Request is invalid:"
        + " Failed to deserialize query string: missing field `namespace`\",\"metadata\":"
        + "{\"reason\":\"Failed to deserialize query string: missing field `namespace`\"}}",
        text(missing));
    HttpResponse<byte[]> unknown = h.method("PUT", "/actors?namespace=nope",
        utf8("{\"name\":\"counter\",\"key\":\"a\"}"));
    assertEquals(400, unknown.statusCode());
    assertEquals("{\"group\":\"namespace\",\"code\":\"not_found\",\"message\":"
        + "\"The namespace does not exist.\"}", text(unknown));
  }

  @Test
  void badBodiesAndUnknownNames() {
    HttpResponse<byte[]> bad = h.method("PUT", "/actors?namespace=default", utf8("{\"name\":"));
    assertEquals(400, bad.statusCode());
    assertEquals("bad_request", json(bad).get("code").asText());
    HttpResponse<byte[]> noName = h.method("POST", "/actors?namespace=default", utf8("{}"));
    assertEquals(400, noName.statusCode());
    assertEquals("Request is invalid: Failed to parse the request body as JSON: missing field"
        + " `name`", json(noName).get("message").asText());
    HttpResponse<byte[]> unknownType = h.method("PUT", "/actors?namespace=default",
        utf8("{\"name\":\"nosuch\",\"key\":\"a\"}"));
    assertEquals(404, unknownType.statusCode());
    assertEquals("actor.not_found", json(unknownType).get("group").asText() + "."
        + json(unknownType).get("code").asText());
    HttpResponse<byte[]> nothing = h.get("/actors?namespace=default");
    assertEquals(400, nothing.statusCode());
    assertEquals("{\"group\":\"validation\",\"code\":\"invalid_input\",\"message\":\"Name is"
        + " required when not using actor_ids.\",\"metadata\":{\"message\":\"Name is required"
        + " when not using actor_ids.\"}}", text(nothing));
  }

  @Test
  void deleteDestroysTheActorAndFreesItsKey() {
    String body = "{\"name\":\"counter\",\"key\":\"doomed\",\"runner_name_selector\":"
        + "\"default\",\"crash_policy\":\"sleep\"}";
    JsonNode actor = json(h.method("PUT", "/actors?namespace=default", utf8(body)))
        .get("actor");
    String id = actor.get("actor_id").asText();
    HttpResponse<byte[]> inc = h.action("/gateway/" + id + "/action/increment", "json",
        utf8("{\"args\":[5]}"));
    assertEquals("{\"output\":5}", text(inc));

    HttpResponse<byte[]> del = h.method("DELETE", "/actors/" + id + "?namespace=default",
        new byte[0]);
    assertEquals(200, del.statusCode(), text(del));
    assertEquals("{}", text(del));
    // gone by id and by key; the key makes a new actor with fresh state
    assertEquals("{\"actors\":[],\"pagination\":{\"cursor\":null}}",
        text(h.get("/actors?actor_ids=" + id + "&namespace=default")));
    HttpResponse<byte[]> byId = h.action("/gateway/" + id + "/action/getCount", "json",
        utf8("{\"args\":[]}"));
    assertEquals(404, byId.statusCode());
    JsonNode again = json(h.method("PUT", "/actors?namespace=default", utf8(body)));
    assertEquals(true, again.get("created").asBoolean());
    assertNotEquals(id, again.get("actor").get("actor_id").asText());

    HttpResponse<byte[]> twice = h.method("DELETE", "/actors/" + id + "?namespace=default",
        new byte[0]);
    assertEquals(404, twice.statusCode());
    assertEquals("actor.not_found", json(twice).get("group").asText() + "."
        + json(twice).get("code").asText());
    HttpResponse<byte[]> noNs = h.method("DELETE", "/actors/" + id, new byte[0]);
    assertEquals(400, noNs.statusCode());
  }

  @Test
  void unknownRoutesAndCors() {
    HttpResponse<byte[]> nope = h.get("/nope", "Origin", "http://app.test");
    assertEquals(404, nope.statusCode());
    assertEquals("{\"group\":\"api\",\"code\":\"not_found\",\"message\":\"The requested"
        + " resource was not found\"}", text(nope));
    assertEquals("http://app.test",
        nope.headers().firstValue("access-control-allow-origin").orElseThrow());
    assertEquals("true",
        nope.headers().firstValue("access-control-allow-credentials").orElseThrow());
    assertEquals(30, nope.headers().firstValue("x-rivet-ray-id").orElseThrow().length());

    HttpResponse<byte[]> pre = h.method("OPTIONS", "/gateway/counter/action/x", new byte[0],
        "Origin", "http://app.test", "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "x-rivet-encoding,content-type");
    assertEquals(204, pre.statusCode());
    assertEquals("http://app.test",
        pre.headers().firstValue("access-control-allow-origin").orElseThrow());
    assertEquals("GET, POST, PUT, DELETE, OPTIONS, PATCH",
        pre.headers().firstValue("access-control-allow-methods").orElseThrow());
    assertEquals("x-rivet-encoding,content-type",
        pre.headers().firstValue("access-control-allow-headers").orElseThrow());
    assertEquals("86400", pre.headers().firstValue("access-control-max-age").orElseThrow());

    HttpResponse<byte[]> root = h.get("/");
    assertEquals(200, root.statusCode());
    assertNotEquals("", text(root));
  }
}
