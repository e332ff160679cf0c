package io.rivet4j.protocol;

import io.rivet4j.protocol.internal.MalformedException;
import io.rivet4j.protocol.internal.WireFormat;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Encodes and decodes client-protocol messages in one {@link Encoding}. Pure functions: no I/O,
 * no state; instances are shared and thread-safe.
 *
 * <p>Encoders take plain values or any Java value the package docs list (records, POJOs, enums);
 * a value JavaScript cannot represent fails with {@code protocol.invalid_value}. Messages a
 * client sends ({@link ToServer}, request bodies) come out byte for byte as the official
 * JavaScript client writes them; messages a server sends ({@link ToClient}, response bodies) as
 * the RivetKit 2.3.19 server writes them. BARE payloads always carry version 4.
 *
 * <p>Decoders return plain values only and fail with a {@link ProtocolException} whose code says
 * what was being read: {@code invalid_actor_connect_request} ({@link ToServer}),
 * {@code invalid_actor_connect_message} ({@link ToClient}), {@code invalid_http_request}
 * (request bodies) or {@code invalid_http_response} (response bodies). They never throw anything
 * else, and never allocate more than the input's size suggests.
 */
public final class ProtocolCodec {
  /** The client protocol version written in every BARE payload. */
  public static final int CLIENT_PROTOCOL_VERSION = 4;

  private static final Map<Encoding, ProtocolCodec> CODECS = new EnumMap<>(Encoding.class);

  static {
    for (Encoding encoding : Encoding.values()) {
      CODECS.put(encoding, new ProtocolCodec(encoding));
    }
  }

  private final Encoding encoding;
  private final WireFormat format;

  private ProtocolCodec(Encoding encoding) {
    this.encoding = encoding;
    this.format = WireFormat.of(encoding);
  }

  /** The codec for {@code encoding}. */
  public static ProtocolCodec of(Encoding encoding) {
    return CODECS.get(Objects.requireNonNull(encoding, "encoding"));
  }

  public Encoding encoding() {
    return encoding;
  }

  /** A WebSocket frame from the client (text for JSON: decode the bytes as UTF-8). */
  public byte[] encode(ToServer message) {
    return format.encode(Objects.requireNonNull(message, "message"));
  }

  /** A WebSocket frame from the server (text for JSON: decode the bytes as UTF-8). */
  public byte[] encode(ToClient message) {
    return format.encode(Objects.requireNonNull(message, "message"));
  }

  public byte[] encode(HttpActionRequest body) {
    return format.encode(Objects.requireNonNull(body, "body"));
  }

  public byte[] encode(HttpActionResponse body) {
    return format.encode(Objects.requireNonNull(body, "body"));
  }

  public byte[] encode(HttpQueueSendRequest body) {
    return format.encode(Objects.requireNonNull(body, "body"));
  }

  public byte[] encode(HttpQueueSendResponse body) {
    return format.encode(Objects.requireNonNull(body, "body"));
  }

  public byte[] encode(HttpResponseError body) {
    return format.encode(Objects.requireNonNull(body, "body"));
  }

  public ToServer decodeToServer(byte[] frame) {
    return decode(frame, format::decodeToServer, ProtocolException.INVALID_ACTOR_CONNECT_REQUEST,
        "Invalid actor-connect request");
  }

  public ToClient decodeToClient(byte[] frame) {
    return decode(frame, format::decodeToClient, ProtocolException.INVALID_ACTOR_CONNECT_MESSAGE,
        "Invalid actor-connect message");
  }

  public HttpActionRequest decodeHttpActionRequest(byte[] body) {
    return decode(body, format::decodeHttpActionRequest, ProtocolException.INVALID_HTTP_REQUEST,
        "Invalid HTTP action request body");
  }

  public HttpActionResponse decodeHttpActionResponse(byte[] body) {
    return decode(body, format::decodeHttpActionResponse,
        ProtocolException.INVALID_HTTP_RESPONSE, "Invalid HTTP action response body");
  }

  public HttpQueueSendRequest decodeHttpQueueSendRequest(byte[] body) {
    return decode(body, format::decodeHttpQueueSendRequest,
        ProtocolException.INVALID_HTTP_REQUEST, "Invalid HTTP queue send request body");
  }

  public HttpQueueSendResponse decodeHttpQueueSendResponse(byte[] body) {
    return decode(body, format::decodeHttpQueueSendResponse,
        ProtocolException.INVALID_HTTP_RESPONSE, "Invalid HTTP queue send response body");
  }

  public HttpResponseError decodeHttpResponseError(byte[] body) {
    return decode(body, format::decodeHttpResponseError, ProtocolException.INVALID_HTTP_RESPONSE,
        "Invalid HTTP error response body");
  }

  @Override
  public String toString() {
    return "ProtocolCodec[" + encoding.wireName() + "]";
  }

  private <T> T decode(byte[] bytes, Function<byte[], T> decoder, String code, String what) {
    Objects.requireNonNull(bytes, "bytes");
    try {
      return decoder.apply(bytes);
    } catch (MalformedException e) {
      throw new ProtocolException(code, what + " (" + encoding.wireName() + "): "
          + e.getMessage() + ". Expected RivetKit client protocol v4 as the official client "
          + "writes it.", e);
    }
  }
}
