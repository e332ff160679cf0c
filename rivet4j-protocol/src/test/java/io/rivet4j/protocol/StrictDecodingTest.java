package io.rivet4j.protocol;

import static io.rivet4j.protocol.Deep.assertDeepEquals;
import static io.rivet4j.protocol.GoldenVectors.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What each decoder rejects, what it tolerates like the reference, and which code it reports. */
class StrictDecodingTest {
  private static final ProtocolCodec BARE = ProtocolCodec.of(Encoding.BARE);
  private static final ProtocolCodec CBOR = ProtocolCodec.of(Encoding.CBOR);
  private static final ProtocolCodec JSON = ProtocolCodec.of(Encoding.JSON);

  private static ProtocolException rejected(String code, Executable decode) {
    ProtocolException e = assertThrows(ProtocolException.class, decode);
    assertEquals("protocol", e.group());
    assertEquals(code, e.code());
    return e;
  }

  private static void badRequest(byte[] frame) {
    rejected(ProtocolException.INVALID_ACTOR_CONNECT_REQUEST, () -> BARE.decodeToServer(frame));
  }

  @Test
  void bareRejectsNonCanonicalAndOutOfRangeInput() {
    badRequest(Hex.bytes("0400 01 8800 6e6577436f756e74 01")); // length 8 written in two bytes
    badRequest(Hex.bytes("0400 00 8000 01 61 0180")); // id 0 written in two bytes
    badRequest(Hex.bytes("0400 01 01 61 02")); // bool 2
    badRequest(Hex.bytes("0400 01 01 61 01 00")); // trailing byte
    badRequest(Hex.bytes("0400 02")); // unknown union tag
    badRequest(Hex.bytes("0400 80 00")); // union tag written in two bytes
    badRequest(Hex.bytes("0500 01 01 61 01")); // version 5
    badRequest(Hex.bytes("0000 01 01 61 01")); // version 0
    badRequest(Hex.bytes("04")); // truncated version
    badRequest(Hex.bytes("0400 00 ffffffffffffffffff02 01 61 0180")); // uint beyond 64 bits
    badRequest(Hex.bytes("0400 00 ffffffffffffffffff8100 01 61 0180")); // 11-byte uint
    badRequest(Hex.bytes("0400 01 ffffffffffffffffff01 61 01")); // length far beyond the input
    badRequest(Hex.bytes("0400 01 02 c328 01")); // invalid UTF-8
    badRequest(Hex.bytes("0400 00 00 01 61 00")); // empty CBOR args
    badRequest(Hex.bytes("0400 00 00 01 61 02 8001")); // trailing byte inside the CBOR args
    ProtocolException e = rejected(ProtocolException.INVALID_ACTOR_CONNECT_REQUEST,
        () -> BARE.decodeToServer(Hex.bytes("0500 01 01 61 01")));
    assertTrue(e.getMessage().contains("version 5"), e.getMessage());
  }

  @Test
  void bareAcceptsTheFullUnsignedRange() {
    ToServer.ActionRequest request = (ToServer.ActionRequest) BARE.decodeToServer(
        Hex.bytes("0400 00 ffffffffffffffffff01 01 61 0180"));
    assertEquals(-1L, request.id());
  }

  @Test
  void bareReadsOlderClientProtocolVersions() {
    assertDeepEquals(new ToServer.SubscriptionRequest("a", true),
        BARE.decodeToServer(Hex.bytes("0100 01 0161 01")));
    assertDeepEquals(new ToClient.Init("a", "c"),
        BARE.decodeToClient(Hex.bytes("0100 00 0161 0163 0574 6f6b656e"))); // v1 token dropped
    assertDeepEquals(new ToClient.Error("g", "c", "m", Optional.empty(), OptionalLong.of(1),
            Optional.empty()),
        BARE.decodeToClient(Hex.bytes("0300 01 0167 0163 016d 00 01 01"))); // v3: no actor
    assertDeepEquals(new HttpResponseError("g", "c", "m", Optional.empty(), Optional.empty()),
        BARE.decodeHttpResponseError(Hex.bytes("0200 0167 0163 016d 00")));
    assertDeepEquals(new HttpActionRequest(List.of()),
        BARE.decodeHttpActionRequest(Hex.bytes("0100 0180")));
    rejected(ProtocolException.INVALID_HTTP_REQUEST,
        () -> BARE.decodeHttpQueueSendRequest(Hex.bytes("0200 01f6 00 00 00"))); // queue is v3+
    rejected(ProtocolException.INVALID_ACTOR_CONNECT_MESSAGE,
        () -> BARE.decodeToClient(Hex.bytes("0200 00 0161 0163 0574 6f6b656e"))); // no token in v2
  }

  @Test
  void eachKindOfInputReportsItsOwnCode() {
    byte[] garbage = Hex.bytes("ff");
    for (ProtocolCodec codec : List.of(BARE, CBOR, JSON)) {
      rejected(ProtocolException.INVALID_ACTOR_CONNECT_REQUEST,
          () -> codec.decodeToServer(garbage));
      rejected(ProtocolException.INVALID_ACTOR_CONNECT_MESSAGE,
          () -> codec.decodeToClient(garbage));
      rejected(ProtocolException.INVALID_HTTP_REQUEST,
          () -> codec.decodeHttpQueueSendRequest(garbage));
      rejected(ProtocolException.INVALID_HTTP_RESPONSE,
          () -> codec.decodeHttpActionResponse(garbage));
      rejected(ProtocolException.INVALID_HTTP_RESPONSE,
          () -> codec.decodeHttpQueueSendResponse(garbage));
      rejected(ProtocolException.INVALID_HTTP_RESPONSE,
          () -> codec.decodeHttpResponseError(garbage));
    }
  }

  @Test
  void jsonAndCborMessagesNeedTheirFields() {
    for (String json : List.of("{}", "[]", "{'body':{'tag':'ActionRequest'}}",
        "{'body':{'tag':'Nope','val':{}}}",
        "{'body':{'tag':'ActionRequest','val':{'id':-1,'name':'a','args':[]}}}",
        "{'body':{'tag':'ActionRequest','val':{'id':1.5,'name':'a','args':[]}}}",
        "{'body':{'tag':'ActionRequest','val':{'id':['$BigInt','18446744073709551616'],"
            + "'name':'a','args':[]}}}",
        "{'body':{'tag':'ActionRequest','val':{'id':0,'name':1,'args':[]}}}",
        "{'body':{'tag':'SubscriptionRequest','val':{'eventName':'e','subscribe':1}}}",
        "{'body':{'tag':'ActionRequest','val':{'id':0,'name':'a','args':['$foo',1]}}}",
        "{'args':[]} trailing", "{'args':[}", "", "nul", "{'a':NaN}")) {
      rejected(ProtocolException.INVALID_ACTOR_CONNECT_REQUEST,
          () -> JSON.decodeToServer(Hex.json(json)));
    }
    rejected(ProtocolException.INVALID_ACTOR_CONNECT_MESSAGE, () -> JSON.decodeToClient(
        Hex.json("{'body':{'tag':'Event','val':{'name':'e','args':5}}}")));
    rejected(ProtocolException.INVALID_ACTOR_CONNECT_MESSAGE, () -> CBOR.decodeToClient(
        Hex.bytes("a1 64626f6479 a2 63746167 64496e6974 6376616c a1 6761 63746f724964 6161")));
  }

  @Test
  void acceptsWhatTheReferenceServerAccepts() {
    assertDeepEquals(new ToServer.ActionRequest(3, "a", List.of()), JSON.decodeToServer(Hex.json(
        "{'body':{'tag':'ActionRequest','val':{'id':3,'name':'a','args':[],'extra':true}},"
            + "'more':1}")));
    assertDeepEquals(new ToServer.ActionRequest(3, "a", List.of(5L)), JSON.decodeToServer(
        Hex.json("{'body':{'tag':'ActionRequest','val':{'id':3,'name':'a','args':5}}}")));
    assertDeepEquals(new HttpActionRequest(List.of()), JSON.decodeHttpActionRequest(
        Hex.json("{}")));
    assertDeepEquals(new HttpActionRequest(List.of()), JSON.decodeHttpActionRequest(
        Hex.json("[1]")));
    assertDeepEquals(new HttpActionRequest(List.of()), JSON.decodeHttpActionRequest(
        Hex.json("{'args':null}")));
    assertDeepEquals(new HttpActionRequest(List.of("x")), JSON.decodeHttpActionRequest(
        Hex.json("{'args':'x'}")));
    assertDeepEquals(new HttpActionRequest(List.of()), CBOR.decodeHttpActionRequest(
        Hex.bytes("a0")));
    assertDeepEquals(new HttpQueueSendRequest(null, Optional.empty(), Optional.empty(),
        OptionalLong.empty()), JSON.decodeHttpQueueSendRequest(Hex.json("{}")));
    assertDeepEquals(new ToServer.ActionRequest(0, "echo", List.of(BigInteger.valueOf(5),
            new byte[] {1, 2, 3}, map("m", 1L))),
        CBOR.decodeToServer(Hex.hex("b90001 64626f6479 b90002 63746167 6d").text("ActionRequest")
            .then("6376616c b90003 626964 1b0000000000000000 646e616d65 64").text("echo")
            .then("6461726773 83 1b0000000000000005 d840 43 010203 d90103 a1 616d 01")
            .build()));
  }

  @Test
  void deepNestingIsRejectedWithoutAStackOverflow() {
    byte[] cbor = new byte[100_000];
    java.util.Arrays.fill(cbor, (byte) 0x81);
    rejected(ProtocolException.INVALID_HTTP_RESPONSE, () -> CBOR.decodeHttpActionResponse(cbor));
    String json = "{\"output\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    rejected(ProtocolException.INVALID_HTTP_RESPONSE,
        () -> JSON.decodeHttpActionResponse(Hex.utf8(json)));
    byte[] bare = Hex.hex("0400 fe8606").then("81".repeat(100_000)).build();
    rejected(ProtocolException.INVALID_HTTP_RESPONSE, () -> BARE.decodeHttpActionResponse(bare));
  }

  @Test
  void hugeDeclaredLengthsFailBeforeAllocating() {
    for (String hex : List.of("9bffffffffffffffff", "9b7fffffffffffffff00", "bb7fffffffffffffff",
        "5bffffffffffffffff", "7a7fffffff61", "9a7fffffff01", "c2 5a7fffffff", "9f01")) {
      rejected(ProtocolException.INVALID_VALUE, () -> UserValues.decodeCbor(Hex.bytes(hex)));
    }
  }

  @Test
  void cborTextIsReadLikeCborXReadsIt() {
    assertDeepEquals("\uFFFD(", UserValues.decodeCbor(Hex.bytes("62 c328"))); // bad sequence
    assertDeepEquals("a\uD800b", UserValues.decodeCbor(Hex.bytes("65 61 eda080 62"))); // WTF-8
    assertDeepEquals("\uFFFD\uFFFD", UserValues.decodeCbor(Hex.bytes("62 f0 80")));
    assertDeepEquals("\uFFFD", UserValues.decodeCbor(Hex.bytes("62 e2 82"))); // truncated €
    rejected(ProtocolException.INVALID_ACTOR_CONNECT_REQUEST, // BARE str stays strict, as in Rust
        () -> BARE.decodeToServer(Hex.bytes("0400 01 03 61eda080 01")));
  }

  @Test
  void malformedCborIsRejected() {
    for (String hex : List.of("", "1c", "5f41 61ff", "7f6161ff", "ff", "f8 20", "e0", "1b00",
        "a1 80 01", "a1 61", "c1 6161", "c2 01", "d840 01", "d845 43 010203",
        "d853 41 00", "d856 41 00", "d9010201", "fb 7ff0", "a1 f8")) {
      rejected(ProtocolException.INVALID_VALUE, () -> UserValues.decodeCbor(Hex.bytes(hex)));
    }
  }
}
