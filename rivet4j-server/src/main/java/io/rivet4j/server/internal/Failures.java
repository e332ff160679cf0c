package io.rivet4j.server.internal;

import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.internal.Errors;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The errors the server itself raises, in RivetKit 2.3.19's words, and the HTTP statuses of
 * every error (spec: client-protocol.md §4.2, semantics.md §9.1, and the reference's answers).
 */
final class Failures {
  static final Logger LOG = LoggerFactory.getLogger("io.rivet4j.server");

  private Failures() {}

  static RivetError incomingTooLong() {
    return new RivetError("message", "incoming_too_long", "Incoming message too long");
  }

  static RivetError outgoingTooLong() {
    return new RivetError("message", "outgoing_too_long", "Outgoing message too long");
  }

  /**
   * What the reference answers (HTTP 400) for a body or {@code x-rivet-conn-params} that does not
   * decode; the detail goes to the log only.
   */
  static RivetError undecodable() {
    return new RivetError("core", "internal_error", Errors.INTERNAL_MESSAGE);
  }

  /** A WebSocket message that does not decode: the reference closes with this reason. */
  static RivetError invalidRequest(String detail) {
    return new RivetError("actor", "invalid_request", detail);
  }

  static RivetError routeNotFound(String path) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("id", path);
    meta.put("resource", "route");
    return new RivetError("actor", "not_found", "Actor route '" + path + "' was not found.",
        meta);
  }

  static RivetError methodNotAllowed(String method, String path) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("method", method);
    meta.put("path", path);
    return new RivetError("actor", "method_not_allowed", "Method not allowed", meta);
  }

  static RivetError apiNotFound() {
    return new RivetError("api", "not_found", "The requested resource was not found");
  }

  static RivetError badRequest(String reason) {
    return new RivetError("api", "bad_request", "Request is invalid: " + reason,
        Map.of("reason", reason));
  }

  static RivetError unauthorized() {
    return new RivetError("api", "unauthorized", "Authentication required");
  }

  static RivetError forbidden() {
    return new RivetError("api", "forbidden", "Access denied");
  }

  static RivetError namespaceNotFound() {
    return new RivetError("namespace", "not_found", "The namespace does not exist.");
  }

  static RivetError queryInvalid(String detail) {
    return new RivetError("guard", "query_invalid_params", "invalid query gateway params: "
        + detail, Map.of("detail", detail));
  }

  static RivetError bodyTooLarge(int limit) {
    return new RivetError("guard", "invalid_request_body", "request body exceeded the " + limit
        + "-byte limit");
  }

  /**
   * The caller-facing form of anything thrown while serving: RivetErrors as they are (the runtime
   * already masked what it hands out; the server's own errors are public), anything else masked
   * as {@code rivetkit.internal_error} and logged with a ray id.
   */
  static RivetError forCaller(Throwable t, String what) {
    Throwable cause = Errors.unwrap(t);
    if (cause instanceof RivetError re) {
      return re;
    }
    return Errors.forCaller(cause, LOG, "-", what);
  }

  /**
   * Status of an error from the actor routes ({@code core:registry/http.rs}
   * {@code framework_error_status}): user errors are 500 on the wire, as observed.
   */
  static int actorStatus(RivetError e) {
    String code = e.code();
    String group = e.group();
    if (group.equals("core") && code.equals("internal_error")) {
      return 400; // what the reference answers for undecodable input
    }
    if (group.equals("user")) {
      return 500; // observed: every UserError, whatever its code
    }
    if (code.equals("forbidden")) {
      return 403;
    }
    if (code.equals("not_found") || code.equals("action_not_found")) {
      return 404;
    }
    if (code.equals("action_timed_out")) {
      return 408;
    }
    if (code.equals("invalid_request")) {
      return 400;
    }
    if (code.equals("method_not_allowed")) {
      return 405;
    }
    if (group.equals("message") || group.equals("queue")) {
      return 400;
    }
    return 500;
  }

  /** Status of an error from the REST API or gateway resolution (the engine's statuses). */
  static int gatewayStatus(RivetError e) {
    return switch (e.qualifiedCode()) {
      case "actor.not_found", "api.not_found" -> 404;
      case "actor.duplicate_key", "actor.invalid_request", "namespace.not_found",
           "guard.query_invalid_params", "api.bad_request", "validation.invalid_input",
           "actor.validation_error" -> 400;
      case "api.unauthorized" -> 401;
      case "api.forbidden" -> 403;
      case "guard.invalid_request_body" -> 413;
      case "registry.shut_down", "actor.destroying", "actor.stopping" -> 503;
      default -> 500;
    };
  }

  /** A WebSocket close reason: {@code group.code}, cut to the 123 bytes a close frame holds. */
  static String closeReason(RivetError e, String rayId) {
    String reason = rayId == null ? e.qualifiedCode() : e.qualifiedCode() + "#" + rayId;
    return truncate(reason);
  }

  static String truncate(String reason) {
    byte[] bytes = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length <= 123) {
      return reason;
    }
    int end = Math.min(reason.length(), 123);
    while (reason.substring(0, end).getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        > 123) {
      end--;
    }
    return reason.substring(0, end);
  }
}
