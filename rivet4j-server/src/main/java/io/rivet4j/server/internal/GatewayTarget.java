package io.rivet4j.server.internal;

import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.protocol.UserValues;
import io.rivet4j.runtime.internal.Node;
import java.util.Arrays;
import java.util.Base64;

/**
 * Which actor a gateway request addresses (client-protocol.md §2.3): a direct id
 * ({@code /gateway/<id>[@token]/…}, or the {@code x-rivet-actor} header) or a name + key query
 * ({@code /gateway/<name>/…?rvt-namespace=…&rvt-method=…&rvt-key=…&rvt-input=…}).
 */
sealed interface GatewayTarget {

  /** An actor by id; never creates. */
  record ById(String actorId) implements GatewayTarget {}

  /** An actor by name and key; {@code input} is a plain value or {@code null}. */
  record ByKey(String name, Key key, Node.Mode mode, Object input) implements GatewayTarget {
    /** The directory key used by the resolver's cache. */
    String cacheKey() {
      return name + '\u0000' + key.serialize();
    }
  }

  /**
   * The query form's target, validated as the engine does: namespace first, then method.
   *
   * @throws RivetError {@code guard.query_invalid_params} or {@code namespace.not_found}
   */
  static ByKey parseQuery(String name, UrlParts url, String namespace, int maxInputSize) {
    String ns = url.first("rvt-namespace");
    if (ns == null || ns.isEmpty()) {
      throw Failures.queryInvalid("missing field `namespace`");
    }
    String method = url.first("rvt-method");
    if (method == null) {
      throw Failures.queryInvalid("missing field `method`");
    }
    Node.Mode mode = switch (method) {
      case "get" -> Node.Mode.GET;
      case "getOrCreate" -> Node.Mode.GET_OR_CREATE;
      case "create" -> Node.Mode.CREATE;
      default -> throw Failures.queryInvalid("unknown method: " + method
          + ", expected get or getOrCreate");
    };
    if (!ns.equals(namespace)) {
      throw Failures.namespaceNotFound();
    }
    if (name.isEmpty()) {
      throw Failures.queryInvalid("missing actor name in the path");
    }
    String rawKey = url.first("rvt-key");
    // The client joins key parts with ',' and omits the parameter for the empty key; the engine
    // splits on ',' and reads an empty value as the empty key (observed).
    Key key = rawKey == null || rawKey.isEmpty() ? Key.of()
        : Key.of(Arrays.asList(rawKey.split(",", -1)));
    Object input = null;
    String rawInput = url.first("rvt-input");
    if (rawInput != null && mode != Node.Mode.GET) {
      input = decodeInput(rawInput, maxInputSize);
    }
    return new ByKey(name, key, mode, input);
  }

  /** {@code rvt-input}: base64url (unpadded) of CBOR-compat bytes. */
  private static Object decodeInput(String rawInput, int maxInputSize) {
    byte[] cbor;
    try {
      cbor = Base64.getUrlDecoder().decode(rawInput);
    } catch (IllegalArgumentException e) {
      throw Failures.queryInvalid("rvt-input is not base64url: " + e.getMessage());
    }
    if (cbor.length > maxInputSize) {
      throw Failures.queryInvalid("rvt-input is " + cbor.length + " bytes of CBOR; the limit is "
          + maxInputSize + " (pass larger inputs with create({input}) instead)");
    }
    try {
      return UserValues.decodeCbor(cbor);
    } catch (RivetError e) {
      throw Failures.queryInvalid("rvt-input is not valid CBOR: " + e.getMessage());
    }
  }
}
