package io.rivet4j.protocol;

import static io.rivet4j.protocol.Hex.hex;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Every captured byte vector of client-protocol.md (§4, §5.2, §5.3, §11), with the message it
 * carries. Where the spec elides an id ({@code 7470…3030}) a made-up id of the same length and
 * edges stands in; vectors the spec gives only in prose are marked "derived".
 */
final class GoldenVectors {
  /** A vector: {@code wire} decodes to {@code message}, and {@code message} encodes to it. */
  record Vector(String name, Encoding encoding, MessageKind kind, byte[] wire, Object message) {
    @Override
    public String toString() {
      return encoding.wireName() + ": " + name;
    }
  }

  static final String BARE_ACTOR = "9mmm5ps68sqba05zpqavxgd074cl00";
  static final String BARE_CONNECTION = "8c85f3b8-2a86-412f-b983-7bd9eacb0590";
  static final String BARE_KEY = "k-bare/a\\/b";
  static final String CBOR_ACTOR = "tp3k7q1m9x5c2v8b4n6z0w2e4r6y00"; // elided as 7470…3030
  static final String CBOR_CONNECTION = "d2a9c1e4-5b3f-4d7a-9c8e-1f2a3b4c5df6"; // 6432…6636
  static final String CBOR_KEY = "k-cbor/a\\/b";
  static final String JSON_ACTOR = "5n8h92ui6xe78v1ktdlbu8km5pal00";
  static final String JSON_CONNECTION = "0a21cec2-2a63-4c77-86e6-e6b1e34fafc2";
  static final String JSON_KEY = "k-json/a\\/b";
  static final String HTTP_ACTOR = "hwrvt6t0eqi0exnb30l7xcnkinbl00";
  static final String LIMITS_ACTOR = "q8w7e6r5t4y3u2i1o0p9a8s7d6fl00"; // elided as <id>

  private GoldenVectors() {}

  static List<Vector> all() {
    List<Vector> vectors = new ArrayList<>();
    vectors.addAll(bare());
    vectors.addAll(cbor());
    vectors.addAll(json());
    return vectors;
  }

  static List<Vector> bare() {
    return List.of(
        bare("§11.1 Init", MessageKind.TO_CLIENT,
            "0400 00 1e396d6d6d35707336387371626130357a70716176786764303734636c3030"
                + "2438633835663362382d326138362d343132662d623938332d376264396561636230353930",
            new ToClient.Init(BARE_ACTOR, BARE_CONNECTION)),
        bare("§11.1 Sub newCount on", MessageKind.TO_SERVER, "0400 01 086e6577436f756e74 01",
            new ToServer.SubscriptionRequest("newCount", true)),
        bare("§11.1 Action#0 increment [10]", MessageKind.TO_SERVER,
            "0400 00 00 09696e6372656d656e74 02810a",
            new ToServer.ActionRequest(0, "increment", List.of(10L))),
        bare("§11.1 Event newCount [13]", MessageKind.TO_CLIENT,
            "0400 03 086e6577436f756e74 02810d",
            new ToClient.Event("newCount", List.of(13L))),
        bare("§11.1 Response#0 13", MessageKind.TO_CLIENT, "0400 02 00 010d",
            new ToClient.ActionResponse(0, 13L)),
        bare("§11.1 Action#1 echo x 5n", MessageKind.TO_SERVER,
            "0400 00 01 046563686f 0e826178826724426967496e746135",
            new ToServer.ActionRequest(1, "echo", List.of("x", BigInteger.valueOf(5)))),
        bare("§11.1 Response#1 [x, 5n]", MessageKind.TO_CLIENT,
            "0400 02 01 0e826178826724426967496e746135",
            new ToClient.ActionResponse(1, List.of("x", BigInteger.valueOf(5)))),
        bare("§11.1 Action#2 failUser []", MessageKind.TO_SERVER,
            "0400 00 02 086661696c55736572 0180",
            new ToServer.ActionRequest(2, "failUser", List.of())),
        bare("§11.1 Error#2 user.my_code", MessageKind.TO_CLIENT,
            "0400 01 0475736572 076d795f636f6465 09626164207468696e67 01 06a163666f6f01"
                + " 01 02 01 1e396d6d6d35707336387371626130357a70716176786764303734636c3030"
                + " 01 01 0b6b2d626172652f615c2f62",
            new ToClient.Error("user", "my_code", "bad thing", Optional.of(map("foo", 1L)),
                OptionalLong.of(2), Optional.of(new ActorSpecifier(BARE_ACTOR, 1, BARE_KEY)))),
        bare("§11.1 Sub newCount off", MessageKind.TO_SERVER, "0400 01 086e6577436f756e74 00",
            new ToServer.SubscriptionRequest("newCount", false)),
        bare("§11.1 Action#3 increment [1]", MessageKind.TO_SERVER,
            "0400 00 03 09696e6372656d656e74 028101",
            new ToServer.ActionRequest(3, "increment", List.of(1L))),
        bare("§11.1 Response#3 14", MessageKind.TO_CLIENT, "0400 02 03 010e",
            new ToClient.ActionResponse(3, 14L)),
        new Vector("§5.2 Error (connection) user.rejected", Encoding.BARE, MessageKind.TO_CLIENT,
            hex("0400 01 04").text("user").then("08").text("rejected").then("26")
                .text("connection rejected by onBeforeConnect")
                .then("01 0a a1637768796474657374 00 00").build(),
            new ToClient.Error("user", "rejected", "connection rejected by onBeforeConnect",
                Optional.of(map("why", "test")), OptionalLong.empty(), Optional.empty())),
        new Vector("§11.4 WS message.outgoing_too_long", Encoding.BARE, MessageKind.TO_CLIENT,
            hex("0400 01 07").text("message").then("11").text("outgoing_too_long").then("19")
                .text("Outgoing message too long").then("00 01 04 00").build(),
            new ToClient.Error("message", "outgoing_too_long", "Outgoing message too long",
                Optional.empty(), OptionalLong.of(4), Optional.empty())),
        bare("§4.1 increment(3) request", MessageKind.HTTP_ACTION_REQUEST, "0400 028103",
            new HttpActionRequest(List.of(3L))),
        bare("§4.1 increment(3) response", MessageKind.HTTP_ACTION_RESPONSE, "0400 0103",
            new HttpActionResponse(3L)),
        bare("§11.3 getInput() request", MessageKind.HTTP_ACTION_REQUEST, "0400 0180",
            new HttpActionRequest(List.of())),
        bare("§11.3 getInput() response", MessageKind.HTTP_ACTION_RESPONSE,
            "0400 55 b9000465696e707574182a636b65798174632d626172652d3137393533393034313539"
                + "353666706172616d73f6676163746f724964781e"
                + "6877727674367430657169306578"
                + "6e6233306c3778636e6b696e626c3030",
            new HttpActionResponse(map("input", 42L, "key", List.of("c-bare-1795390415956"),
                "params", null, "actorId", HTTP_ACTOR))),
        new Vector("§4.2 HTTP error user.my_code", Encoding.BARE, MessageKind.HTTP_RESPONSE_ERROR,
            hex("0400 04").text("user").then("07").text("my_code").then("09").text("bad thing")
                .then("01 06 a163666f6f01 01 1e").text(BARE_ACTOR).then("01 01 0b")
                .text(BARE_KEY).build(),
            new HttpResponseError("user", "my_code", "bad thing", Optional.of(map("foo", 1L)),
                Optional.of(new ActorSpecifier(BARE_ACTOR, 1, BARE_KEY)))),
        new Vector("§4.2 HTTP error rivetkit.internal_error", Encoding.BARE,
            MessageKind.HTTP_RESPONSE_ERROR,
            hex("0400 08").text("rivetkit").then("0e").text("internal_error").then("1a")
                .text("An internal error occurred").then("00 01 1e").text(BARE_ACTOR)
                .then("01 01 0b").text(BARE_KEY).build(),
            new HttpResponseError("rivetkit", "internal_error", "An internal error occurred",
                Optional.empty(), Optional.of(new ActorSpecifier(BARE_ACTOR, 1, BARE_KEY)))),
        new Vector("§11.4 HTTP message.incoming_too_long", Encoding.BARE,
            MessageKind.HTTP_RESPONSE_ERROR,
            hex("0400 07").text("message").then("11").text("incoming_too_long").then("19")
                .text("Incoming message too long").then("00 01 1e").text(LIMITS_ACTOR)
                .then("02 01 06").text("limits").build(),
            new HttpResponseError("message", "incoming_too_long", "Incoming message too long",
                Optional.empty(), Optional.of(new ActorSpecifier(LIMITS_ACTOR, 2, "limits")))),
        bare("§4.3 queue send, no wait", MessageKind.HTTP_QUEUE_SEND_REQUEST,
            "0400 06b90001616e01 01 046a6f6273 01 00 00",
            new HttpQueueSendRequest(map("n", 1L), Optional.of("jobs"), Optional.of(false),
                OptionalLong.empty())),
        bare("§4.3 queue send, wait 500 ms", MessageKind.HTTP_QUEUE_SEND_REQUEST,
            "0400 06b90001616e02 01 046a6f6273 01 01 01 f401000000000000",
            new HttpQueueSendRequest(map("n", 2L), Optional.of("jobs"), Optional.of(true),
                OptionalLong.of(500))),
        bare("§4.3 queue send result", MessageKind.HTTP_QUEUE_SEND_RESPONSE,
            "0400 09636f6d706c65746564 00",
            new HttpQueueSendResponse("completed", Optional.empty())));
  }

  static List<Vector> cbor() {
    return List.of(
        new Vector("§11.2 Init", Encoding.CBOR, MessageKind.TO_CLIENT,
            hex("a1 64626f6479 a2 63746167 64496e6974 6376616c a2 67616374"
                + "6f724964 781e").text(CBOR_ACTOR)
                .then("6c636f6e6e656374696f6e4964 7824").text(CBOR_CONNECTION).build(),
            new ToClient.Init(CBOR_ACTOR, CBOR_CONNECTION)),
        cbor("§11.2 Sub newCount on", MessageKind.TO_SERVER,
            "b90001 64626f6479 b90002 63746167 73537562736372697074696f6e52657175657374"
                + " 6376616c b90002 696576656e744e616d65 686e6577436f756e74"
                + " 69737562736372696265 f5",
            new ToServer.SubscriptionRequest("newCount", true)),
        cbor("§11.2 / §5.3 Action#0 increment [10]", MessageKind.TO_SERVER,
            "b90001 64626f6479 b90002 63746167 6d416374696f6e52657175657374 6376616c b90003"
                + " 626964 1b0000000000000000 646e616d65 69696e6372656d656e74 6461726773 810a",
            new ToServer.ActionRequest(0, "increment", List.of(10L))),
        cbor("§11.2 Event newCount [16]", MessageKind.TO_CLIENT,
            "a1 64626f6479 a2 63746167 654576656e74 6376616c a2 646e616d65"
                + " 686e6577436f756e74 6461726773 8110",
            new ToClient.Event("newCount", List.of(16L))),
        cbor("§11.2 Response#0 16", MessageKind.TO_CLIENT,
            "a1 64626f6479 a2 63746167 6e416374696f6e526573706f6e7365 6376616c a2 626964"
                + " 1b0000000000000000 666f7574707574 10",
            new ToClient.ActionResponse(0, 16L)),
        new Vector("§11.2 Error#2 user.my_code", Encoding.CBOR, MessageKind.TO_CLIENT,
            hex("a1 64626f6479 a2 63746167 654572726f72 6376616c a6 6567726f7570 6475736572"
                + " 64636f6465 676d795f636f6465 676d657373616765 69626164207468696e67"
                + " 686d65746164617461 a163666f6f01 656163746f72 a3 676163746f724964 781e")
                .text(CBOR_ACTOR)
                .then("6a67656e65726174696f6e 1b0000000000000001 636b6579"
                    + " 6b6b2d63626f722f615c2f62 68616374696f6e4964 1b0000000000000002")
                .build(),
            new ToClient.Error("user", "my_code", "bad thing", Optional.of(map("foo", 1L)),
                OptionalLong.of(2), Optional.of(new ActorSpecifier(CBOR_ACTOR, 1, CBOR_KEY)))),
        cbor("§4.1 increment(3) request", MessageKind.HTTP_ACTION_REQUEST,
            "b9 0001 64 61726773 81 03", new HttpActionRequest(List.of(3L))),
        cbor("§4.1 response {output: 6}", MessageKind.HTTP_ACTION_RESPONSE,
            "a1 66 6f7574707574 06", new HttpActionResponse(6L)),
        new Vector("§4.2 HTTP error user.my_code", Encoding.CBOR, MessageKind.HTTP_RESPONSE_ERROR,
            hex("a5 656163746f72 a3 676163746f724964 781e").text(CBOR_ACTOR)
                .then("6a67656e65726174696f6e 01 636b6579 6b 6b2d63626f722f615c2f62"
                    + " 64636f6465 67 6d795f636f6465 6567726f7570 64 75736572"
                    + " 676d657373616765 69 626164207468696e67 686d65746164617461 a1 63666f6f 01")
                .build(),
            new HttpResponseError("user", "my_code", "bad thing", Optional.of(map("foo", 1L)),
                Optional.of(new ActorSpecifier(CBOR_ACTOR, 1, CBOR_KEY)))),
        cbor("§4.3 queue send, no wait (derived: same map, undefined timeout → f7)",
            MessageKind.HTTP_QUEUE_SEND_REQUEST,
            "b90004 64626f6479 b90001 616e 01 646e616d65 646a6f6273 6477616974 f4"
                + " 6774696d656f7574 f7",
            new HttpQueueSendRequest(map("n", 1L), Optional.of("jobs"), Optional.of(false),
                OptionalLong.empty())),
        cbor("§4.3 queue send result (derived)", MessageKind.HTTP_QUEUE_SEND_RESPONSE,
            "a1 66737461747573 69636f6d706c65746564",
            new HttpQueueSendResponse("completed", Optional.empty())));
  }

  static List<Vector> json() {
    return List.of(
        json("§5.2 Init", MessageKind.TO_CLIENT,
            "{\"body\":{\"tag\":\"Init\",\"val\":{\"actorId\":\"" + JSON_ACTOR
                + "\",\"connectionId\":\"" + JSON_CONNECTION + "\"}}}",
            new ToClient.Init(JSON_ACTOR, JSON_CONNECTION)),
        json("§5.2 Event", MessageKind.TO_CLIENT,
            "{\"body\":{\"tag\":\"Event\",\"val\":{\"args\":[13],\"name\":\"newCount\"}}}",
            new ToClient.Event("newCount", List.of(13L))),
        json("§5.2 ActionResponse", MessageKind.TO_CLIENT,
            "{\"body\":{\"tag\":\"ActionResponse\",\"val\":{\"id\":[\"$BigInt\",\"0\"],"
                + "\"output\":13}}}",
            new ToClient.ActionResponse(0, 13L)),
        json("§5.2 Error (action)", MessageKind.TO_CLIENT,
            "{\"body\":{\"tag\":\"Error\",\"val\":{\"actionId\":[\"$BigInt\",\"2\"],"
                + "\"actor\":{\"actorId\":\"" + JSON_ACTOR + "\",\"generation\":1,"
                + "\"key\":\"k-json/a\\\\/b\"},\"code\":\"my_code\",\"group\":\"user\","
                + "\"message\":\"bad thing\",\"metadata\":{\"foo\":1}}}}",
            new ToClient.Error("user", "my_code", "bad thing", Optional.of(map("foo", 1L)),
                OptionalLong.of(2), Optional.of(new ActorSpecifier(JSON_ACTOR, 1, JSON_KEY)))),
        json("§5.2 Error (connection)", MessageKind.TO_CLIENT,
            "{\"body\":{\"tag\":\"Error\",\"val\":{\"actionId\":null,\"code\":\"rejected\","
                + "\"group\":\"user\",\"message\":\"connection rejected by onBeforeConnect\","
                + "\"metadata\":{\"why\":\"test\"}}}}",
            new ToClient.Error("user", "rejected", "connection rejected by onBeforeConnect",
                Optional.of(map("why", "test")), OptionalLong.empty(), Optional.empty())),
        json("§5.3 SubscriptionRequest", MessageKind.TO_SERVER,
            "{\"body\":{\"tag\":\"SubscriptionRequest\",\"val\":{\"eventName\":\"newCount\","
                + "\"subscribe\":true}}}",
            new ToServer.SubscriptionRequest("newCount", true)),
        json("§5.3 ActionRequest", MessageKind.TO_SERVER,
            "{\"body\":{\"tag\":\"ActionRequest\",\"val\":{\"id\":[\"$BigInt\",\"0\"],"
                + "\"name\":\"increment\",\"args\":[10]}}}",
            new ToServer.ActionRequest(0, "increment", List.of(10L))),
        json("§4.1 increment(3) request", MessageKind.HTTP_ACTION_REQUEST, "{\"args\":[3]}",
            new HttpActionRequest(List.of(3L))),
        json("§4.1 increment(3) response", MessageKind.HTTP_ACTION_RESPONSE, "{\"output\":3}",
            new HttpActionResponse(3L)),
        json("§4.2 HTTP error user.my_code", MessageKind.HTTP_RESPONSE_ERROR,
            "{\"actor\":{\"actorId\":\"" + JSON_ACTOR + "\",\"generation\":1,"
                + "\"key\":\"k-json/a\\\\/b\"},\"code\":\"my_code\",\"group\":\"user\","
                + "\"message\":\"bad thing\",\"metadata\":{\"foo\":1}}",
            new HttpResponseError("user", "my_code", "bad thing", Optional.of(map("foo", 1L)),
                Optional.of(new ActorSpecifier(JSON_ACTOR, 1, JSON_KEY)))),
        json("§4.2 gateway-level actor.not_found", MessageKind.HTTP_RESPONSE_ERROR,
            "{\"group\":\"actor\",\"code\":\"not_found\","
                + "\"message\":\"The actor does not exist or was destroyed.\"}",
            new HttpResponseError("actor", "not_found",
                "The actor does not exist or was destroyed.", Optional.empty(),
                Optional.empty())),
        json("§4.3 queue send, no wait", MessageKind.HTTP_QUEUE_SEND_REQUEST,
            "{\"body\":{\"n\":1},\"name\":\"jobs\",\"wait\":false}",
            new HttpQueueSendRequest(map("n", 1L), Optional.of("jobs"), Optional.of(false),
                OptionalLong.empty())),
        json("§4.3 queue send, wait 500 ms", MessageKind.HTTP_QUEUE_SEND_REQUEST,
            "{\"body\":{\"n\":2},\"name\":\"jobs\",\"wait\":true,\"timeout\":500}",
            new HttpQueueSendRequest(map("n", 2L), Optional.of("jobs"), Optional.of(true),
                OptionalLong.of(500))),
        json("§4.3 queue send completed", MessageKind.HTTP_QUEUE_SEND_RESPONSE,
            "{\"status\":\"completed\"}",
            new HttpQueueSendResponse("completed", Optional.empty())),
        json("§4.3 queue send timed out", MessageKind.HTTP_QUEUE_SEND_RESPONSE,
            "{\"status\":\"timedOut\"}", new HttpQueueSendResponse("timedOut", Optional.empty())));
  }

  /** An insertion-ordered map from alternating keys and values. */
  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  private static Vector bare(String name, MessageKind kind, String hex, Object message) {
    return new Vector(name, Encoding.BARE, kind, Hex.bytes(hex), message);
  }

  private static Vector cbor(String name, MessageKind kind, String hex, Object message) {
    return new Vector(name, Encoding.CBOR, kind, Hex.bytes(hex), message);
  }

  private static Vector json(String name, MessageKind kind, String text, Object message) {
    return new Vector(name, Encoding.JSON, kind, Hex.utf8(text), message);
  }
}
