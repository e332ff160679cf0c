package io.rivet4j.runtime.internal;

import io.rivet4j.api.RivetError;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;

/** RivetKit's error rules: which errors reach callers as they are, and masking of the rest. */
public final class Errors {
  public static final String INTERNAL_MESSAGE = "An internal error occurred";
  private static final Set<String> PUBLIC_ACTOR_CODES = Set.of("not_found", "action_not_found",
      "method_not_allowed", "action_timed_out", "aborted", "validation_error");
  private static final Set<String> PUBLIC_GROUPS = Set.of("user", "message", "schedule", "queue",
      "kv", "actor_runtime_socket");

  private Errors() {}

  /** True when RivetKit sends this error's message and metadata to clients unmasked. */
  public static boolean isPublic(String group, String code) {
    return PUBLIC_GROUPS.contains(group)
        || group.equals("actor") && PUBLIC_ACTOR_CODES.contains(code)
        || group.equals("auth") && code.equals("forbidden");
  }

  /**
   * The error a caller sees for {@code error}: public RivetErrors as they are, other RivetErrors
   * with the message masked, anything else as {@code rivetkit.internal_error}, logged with a ray
   * id so the log line can be found.
   */
  public static RivetError forCaller(Throwable error, Logger log, String actorId, String what) {
    if (error instanceof RivetError re) {
      if (isPublic(re.group(), re.code())) {
        return re;
      }
      String ray = UUID.randomUUID().toString();
      log.warn("actor {} {}: {} (ray {})", actorId, what, re.toString(), ray);
      return new RivetError(re.group(), re.code(), INTERNAL_MESSAGE);
    }
    String ray = UUID.randomUUID().toString();
    log.error("actor {} {} failed (ray {})", actorId, what, ray, error);
    return new RivetError("rivetkit", "internal_error", INTERNAL_MESSAGE);
  }

  public static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException
        || e instanceof java.lang.reflect.InvocationTargetException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** RivetKit's wording, which clients may match on (messages below copy it too). */
  public static final String NOT_FOUND_MESSAGE = "The actor does not exist or was destroyed.";

  public static RivetError notFound(String actorId) {
    return new RivetError("actor", "not_found", NOT_FOUND_MESSAGE);
  }

  public static RivetError actionNotFound(String actorName, String action) {
    return new RivetError("actor", "action_not_found", "Action `" + action + "` was not found.");
  }

  public static RivetError actionTimedOut(String action, Duration timeout) {
    return new RivetError("actor", "action_timed_out", "Action timed out");
  }
}
