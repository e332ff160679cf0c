package io.rivet4j.client.internal;

import io.rivet4j.api.RivetError;
import io.rivet4j.client.ActorError;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The errors the client raises itself (group {@code client}), and exception plumbing. */
final class Errors {
  static final System.Logger LOG = System.getLogger("io.rivet4j.client");
  static final String GROUP = "client";

  private Errors() {}

  static ActorError closed() {
    return new ActorError(GROUP, "closed", "This RivetClient is closed; create a new one.");
  }

  /** RivetKit's {@code ActorConnDisposed}. */
  static ActorError disposed() {
    return new ActorError(GROUP, "connection_disposed",
        "Attempting to interact with a disposed actor connection.");
  }

  static ActorError queueFull(int limit) {
    return new ActorError(GROUP, "queue_full", "More than " + limit + " actions of this"
        + " connection are queued or awaiting their results; wait for some to complete (or for"
        + " the connection: ready(), onOpen) before sending more.");
  }

  static ActorError invalidInput(String what, RuntimeException cause) {
    return new ActorError(GROUP, "invalid_input", what + ": " + cause.getMessage(), null, null,
        null, cause);
  }

  static ActorError invalidOutput(String message, Throwable cause) {
    return new ActorError(GROUP, "invalid_output", message, null, null, null, cause);
  }

  static ActorError getParamsFailed(Throwable cause) {
    return new ActorError(GROUP, "get_params_failed", "Failed to resolve connection params: "
        + cause, Map.of("error", String.valueOf(cause)), null, null, cause);
  }

  /** A socket closed with a reason that is not RivetKit's {@code group.code[#ray]}. */
  static ActorError connectionClosed(int code, String reason) {
    String text = code == 1006 ? "Connection lost" : "Connection closed";
    return new ActorError(GROUP, "connection_closed", text + " (code: " + code + ", reason: "
        + reason + ")", Map.of("code", code, "reason", reason), null, null, null);
  }

  static ActorError connectionLost(Throwable cause) {
    return new ActorError(GROUP, "connection_closed", "Connection lost (code: 1006, reason: "
        + cause + ")", Map.of("code", 1006, "reason", String.valueOf(cause)), null, null, cause);
  }

  /** RivetKit's wrapper for an opening failure that is not an {@code ActorError}. */
  static ActorError openFailed(ActorError cause) {
    return new ActorError(GROUP, "connection_open_failed", "Failed to open connection: "
        + cause.getMessage(), Map.of("error", cause.getMessage()), null, null, cause);
  }

  static ActorError protocolMismatch(String endpoint, String what, Throwable cause) {
    return new ActorError(GROUP, "protocol_mismatch", "The server at " + endpoint + " sent "
        + what + " that this client cannot read: " + cause.getMessage() + ". This client speaks"
        + " RivetKit 2.3.19's client protocol (v4); check that the endpoint is a Rivet server of a"
        + " compatible version.", null, null, null, cause);
  }

  /**
   * A failure to send a request or open a socket: no server, a timeout, or a broken
   * connection. The message names the endpoint and how to fix it.
   */
  static ActorError transport(Throwable t, String url, String endpoint, Duration timeout) {
    Throwable cause = unwrap(t);
    if (cause instanceof ActorError a) {
      return a;
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return new ActorError(GROUP, "unreachable", "Cannot connect to the Rivet server at "
          + endpoint + ": timed out connecting. Is it running and reachable? Set the endpoint"
          + " with RIVET_ENDPOINT or RivetClient.builder().endpoint(…).", null, null, null,
          cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new ActorError(GROUP, "timeout", "No answer from " + url + " within " + timeout
          + " (RivetClient.builder().requestTimeout(…) sets the limit).", null, null, null,
          cause);
    }
    if (cause instanceof ConnectException || cause instanceof UnknownHostException
        || cause instanceof UnresolvedAddressException) {
      String why = cause instanceof ConnectException ? "connection refused" : "unknown host";
      return new ActorError(GROUP, "unreachable", "Cannot connect to the Rivet server at "
          + endpoint + " (" + why + "). Is it running? Set the endpoint with RIVET_ENDPOINT or"
          + " RivetClient.builder().endpoint(…).", null, null, null, cause);
    }
    if (cause instanceof CancellationException) {
      return new ActorError(GROUP, "closed", "The request to " + url + " was cancelled (the"
          + " client is closing).", null, null, null, cause);
    }
    return new ActorError(GROUP, "request_failed", "Request to " + url + " failed: " + cause,
        null, null, null, cause);
  }

  /** {@code t} without {@link CompletionException}/{@link ExecutionException} wrappers. */
  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** {@code t} as an {@link ActorError} (a {@link RivetError} keeps group, code, metadata). */
  static ActorError actorError(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof ActorError a) {
      return a;
    }
    if (c instanceof RivetError r) {
      return new ActorError(r.group(), r.code(), r.getMessage(), r.metadata().orElse(null), null,
          null, r);
    }
    return new ActorError("rivetkit", "internal_error", "Unexpected client failure: " + c, null,
        null, null, c);
  }

  /**
   * For a blocking caller: the same error again with the caller's stack (the original is the
   * cause), so traces show where the call was made.
   */
  static RuntimeException rethrowable(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof ActorError a) {
      return new ActorError(a.group(), a.code(), a.getMessage(), a.metadata().orElse(null),
          a.rayId().orElse(null), a.actor().orElse(null), a);
    }
    if (c instanceof RivetError r) {
      return actorError(r);
    }
    if (c instanceof RuntimeException r) {
      return r;
    }
    if (c instanceof Error e) {
      throw e;
    }
    return actorError(c);
  }
}
