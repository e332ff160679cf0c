package io.rivet4j.protocol.internal;

import io.rivet4j.protocol.ActorSpecifier;
import io.rivet4j.protocol.HttpActionRequest;
import io.rivet4j.protocol.HttpActionResponse;
import io.rivet4j.protocol.HttpQueueSendRequest;
import io.rivet4j.protocol.HttpQueueSendResponse;
import io.rivet4j.protocol.HttpResponseError;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads messages out of a decoded and revived JSON or CBOR tree. Both encodings mirror the BARE
 * schema with the same field names ({@code {"body":{"tag":…,"val":{…}}}} for WebSocket messages);
 * unknown fields are ignored, as the reference does.
 */
final class TreeMessages {
  private static final double TWO_TO_64 = 0x1p64;

  private TreeMessages() {}

  static ToServer toServer(Object tree) {
    Map<?, ?> body = map(map(tree, "message").get("body"), "body");
    String tag = string(body, "tag");
    Map<?, ?> val = map(body.get("val"), "val");
    return switch (tag) {
      case "ActionRequest" ->
          new ToServer.ActionRequest(u64(val.get("id"), "id"), string(val, "name"),
              args(val.get("args")));
      case "SubscriptionRequest" ->
          new ToServer.SubscriptionRequest(string(val, "eventName"), bool(val, "subscribe"));
      default -> throw new MalformedException("unknown message tag '" + tag + "'");
    };
  }

  static ToClient toClient(Object tree) {
    Map<?, ?> body = map(map(tree, "message").get("body"), "body");
    String tag = string(body, "tag");
    Map<?, ?> val = map(body.get("val"), "val");
    return switch (tag) {
      case "Init" -> new ToClient.Init(string(val, "actorId"), string(val, "connectionId"));
      case "Error" -> new ToClient.Error(string(val, "group"), string(val, "code"),
          string(val, "message"), optional(val, "metadata"), optionalU64(val, "actionId"),
          actor(val.get("actor")));
      case "ActionResponse" ->
          new ToClient.ActionResponse(u64(val.get("id"), "id"), val.get("output"));
      case "Event" -> new ToClient.Event(string(val, "name"), list(val.get("args"), "args"));
      default -> throw new MalformedException("unknown message tag '" + tag + "'");
    };
  }

  /** As the reference: a body that is not an object, or has no args, means no arguments. */
  static HttpActionRequest httpActionRequest(Object tree) {
    return new HttpActionRequest(
        tree instanceof Map<?, ?> body ? args(body.get("args")) : List.of());
  }

  static HttpActionResponse httpActionResponse(Object tree) {
    return new HttpActionResponse(map(tree, "body").get("output"));
  }

  static HttpQueueSendRequest httpQueueSendRequest(Object tree) {
    Map<?, ?> body = map(tree, "body");
    return new HttpQueueSendRequest(body.get("body"), optionalString(body, "name"),
        optionalBool(body, "wait"), optionalU64(body, "timeout"));
  }

  static HttpQueueSendResponse httpQueueSendResponse(Object tree) {
    Map<?, ?> body = map(tree, "body");
    return new HttpQueueSendResponse(string(body, "status"), optional(body, "response"));
  }

  static HttpResponseError httpResponseError(Object tree) {
    Map<?, ?> body = map(tree, "body");
    return new HttpResponseError(string(body, "group"), string(body, "code"),
        string(body, "message"), optional(body, "metadata"), actor(body.get("actor")));
  }

  /**
   * Action arguments as the reference reads them: an array is the list of arguments, null or
   * absent means none, any other value is the single argument.
   */
  static List<Object> args(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> items) {
      return new ArrayList<>(items);
    }
    List<Object> single = new ArrayList<>(1);
    single.add(value);
    return single;
  }

  static List<Object> list(Object value, String field) {
    if (value instanceof List<?> items) {
      return new ArrayList<>(items);
    }
    throw new MalformedException("field '" + field + "' must be an array");
  }

  /** An unsigned 64-bit integer sent as a number or a bigint. */
  static long u64(Object value, String field) {
    return switch (value) {
      case Long l when l >= 0 -> l;
      case BigInteger b when b.signum() >= 0 && b.bitLength() <= 64 -> b.longValue();
      case Double d when d >= 0 && d < TWO_TO_64 && d == Math.rint(d) ->
          new BigDecimal(d).toBigIntegerExact().longValue();
      case null, default ->
          throw new MalformedException("field '" + field + "' must be an unsigned 64-bit integer");
    };
  }

  private static Optional<ActorSpecifier> actor(Object value) {
    if (value == null) {
      return Optional.empty();
    }
    Map<?, ?> actor = map(value, "actor");
    return Optional.of(new ActorSpecifier(string(actor, "actorId"),
        u64(actor.get("generation"), "generation"), optionalString(actor, "key")));
  }

  private static Map<?, ?> map(Object value, String field) {
    if (value instanceof Map<?, ?> map) {
      return map;
    }
    throw new MalformedException("'" + field + "' must be an object");
  }

  private static String string(Map<?, ?> map, String field) {
    if (map.get(field) instanceof String text) {
      return text;
    }
    throw new MalformedException("field '" + field + "' must be a string");
  }

  private static boolean bool(Map<?, ?> map, String field) {
    if (map.get(field) instanceof Boolean flag) {
      return flag;
    }
    throw new MalformedException("field '" + field + "' must be a boolean");
  }

  private static Optional<Object> optional(Map<?, ?> map, String field) {
    return Optional.ofNullable(map.get(field));
  }

  private static Optional<String> optionalString(Map<?, ?> map, String field) {
    Object value = map.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String text) {
      return Optional.of(text);
    }
    throw new MalformedException("field '" + field + "' must be a string");
  }

  private static Optional<Boolean> optionalBool(Map<?, ?> map, String field) {
    Object value = map.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Boolean flag) {
      return Optional.of(flag);
    }
    throw new MalformedException("field '" + field + "' must be a boolean");
  }

  private static OptionalLong optionalU64(Map<?, ?> map, String field) {
    Object value = map.get(field);
    return value == null ? OptionalLong.empty() : OptionalLong.of(u64(value, field));
  }
}
