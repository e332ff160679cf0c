package io.rivet4j.examples.conformance;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorOptions;
import io.rivet4j.runtime.Registry;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The three conformance actors — {@code counter}, {@code chatRoom}, {@code conformance} — as one
 * registry, with actor timeouts taken from the environment so tests can shorten them.
 */
public final class ConformanceActors {
  /** Idle time before an actor sleeps (RivetKit's {@code sleepTimeout}, default 30 000). */
  public static final String SLEEP_TIMEOUT_ENV = "RIVET_SLEEP_TIMEOUT_MS";
  /** Time an action may take (RivetKit's {@code actionTimeout}, default 60 000). */
  public static final String ACTION_TIMEOUT_ENV = "RIVET_ACTION_TIMEOUT_MS";
  /** Budget for stopping work before sleep/destroy ({@code sleepGracePeriod}, default 15 000). */
  public static final String SLEEP_GRACE_ENV = "RIVET_SLEEP_GRACE_MS";

  private ConformanceActors() {}

  /** The registry with RivetKit's default timeouts. */
  public static Registry registry() {
    return registry(UnaryOperator.identity());
  }

  /** The registry with {@code options} applied to every actor. */
  public static Registry registry(UnaryOperator<ActorOptions> options) {
    return Registry.builder()
        .actor(configure(CounterActor.definition(), options))
        .actor(configure(ChatRoom.definition(), options))
        .actor(configure(ConformanceActor.definition(), options))
        .build();
  }

  /**
   * The timeouts set in {@code env} ({@value #SLEEP_TIMEOUT_ENV}, {@value #ACTION_TIMEOUT_ENV},
   * {@value #SLEEP_GRACE_ENV}, in milliseconds); unset ones keep their defaults.
   */
  public static UnaryOperator<ActorOptions> optionsFromEnv(Map<String, String> env) {
    Duration sleep = millis(env, SLEEP_TIMEOUT_ENV);
    Duration action = millis(env, ACTION_TIMEOUT_ENV);
    Duration grace = millis(env, SLEEP_GRACE_ENV);
    return o -> {
      ActorOptions out = o;
      if (sleep != null) {
        out = out.withSleepTimeout(sleep);
      }
      if (action != null) {
        out = out.withActionTimeout(action);
      }
      if (grace != null) {
        out = out.withSleepGracePeriod(grace);
      }
      return out;
    };
  }

  private static <S> Actor<S> configure(Actor<S> actor, UnaryOperator<ActorOptions> options) {
    return actor.options(options);
  }

  private static Duration millis(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    long ms;
    try {
      ms = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number of milliseconds, got '" + v
          + "'", e);
    }
    if (ms <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + ms);
    }
    return Duration.ofMillis(ms);
  }
}
