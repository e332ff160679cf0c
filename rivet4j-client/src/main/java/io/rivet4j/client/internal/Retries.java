package io.rivet4j.client.internal;

import io.rivet4j.client.ActorError;
import java.time.Duration;

/**
 * Which errors RivetKit's client retries, and how long it waits (client-protocol.md §2.4, §5.5;
 * {@code client/actor-query.ts}, {@code client/lifecycle-errors.ts}, {@code client/errors.ts}).
 */
final class Retries {
  /** Attempts of a {@code get} handle's call while the actor is not found/starting. */
  static final int GET_ATTEMPTS = 24;
  /** Attempts of a {@code getOrCreate} handle's call. */
  static final int GET_OR_CREATE_ATTEMPTS = 60;
  /** The wait between those attempts. */
  static final Duration RETRY_WINDOW = Duration.ofMillis(100);
  /** Attempts of {@code retryOnLifecycleBoundary}. */
  static final int LIFECYCLE_ATTEMPTS = 5;

  static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private Retries() {}

  /** {@code isStaleResolvedActorError}: the resolved actor is gone or not ready. */
  static boolean stale(ActorError e) {
    if (!e.group().equals("actor")) {
      return false;
    }
    String c = e.code();
    return c.equals("not_found") || c.equals("starting") || c.equals("stopping")
        || c.equals("not_configured") || c.equals("dropped_reply") || c.startsWith("destroyed_");
  }

  /** {@code shouldRetryDynamicLifecycleError}: stale, or being destroyed. */
  static boolean dynamicRetry(ActorError e) {
    return stale(e) || e.group().equals("actor") && e.code().equals("destroying");
  }

  /** {@code isSchedulingError}. */
  static boolean scheduling(ActorError e) {
    return e.group().equals("guard")
        && (e.code().equals("actor_ready_timeout") || e.code().equals("actor_runner_failed"));
  }

  /** {@code isRetryableLifecycleRequestError}: a request may simply be sent again. */
  static boolean lifecycleRequest(ActorError e) {
    String g = e.group();
    String c = e.code();
    String m = e.getMessage();
    if (g.equals("actor") && c.equals("stopping")
        && m.contains("database accessed after actor stopped")) {
      return false;
    }
    if (g.equals("actor") && c.equals("restarting")) {
      return true;
    }
    if (g.equals("guard")) {
      return switch (c) {
        case "service_unavailable", "actor_wake_retries_exceeded", "actor_stopped_while_waiting",
             "tunnel_request_aborted", "tunnel_message_timeout", "tunnel_response_closed",
             "gateway_response_start_timeout" -> true;
        default -> false;
      };
    }
    return g.equals("actor") && c.equals("internal_error") && m.equals("Actor is stopping")
        || g.equals("actor") && c.equals("stopping") && m.equals(
            "Actor stopping: Cannot accept new connections while actor is stopping");
  }

  /** {@code isRetryableLifecycleReconnectSignal}: a connection should try again. */
  static boolean reconnectSignal(ActorError e) {
    return lifecycleRequest(e) || e.group().equals("actor") && e.code().equals("stopped")
        || e.group().equals("ws") && e.code().equals("going_away");
  }

  /** The wait before attempt {@code n + 1} of {@code retryOnLifecycleBoundary}: 25·2ⁿ ≤ 200 ms. */
  static Duration lifecycleDelay(int attempt) {
    return Duration.ofMillis(Math.min(25L << Math.min(attempt, 10), 200));
  }

  /**
   * The reconnect backoff after {@code failures} failed attempts in a row (p-retry, min 250 ms,
   * factor 2, max 30 s, no jitter): 250, 500, 1000, … 30000 ms.
   */
  static Duration backoff(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    long ms = FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 20);
    return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
  }
}
