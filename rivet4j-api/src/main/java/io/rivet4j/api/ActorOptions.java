package io.rivet4j.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-actor options with RivetKit 2.3.19's defaults.
 *
 * @param sleepTimeout idle time before the actor sleeps (30 s)
 * @param sleepGracePeriod budget for {@code onSleep}/{@code onDestroy} and in-flight work (15 s)
 * @param actionTimeout time an action may take before the caller gets
 *     {@code actor.action_timed_out} (60 s)
 * @param noSleep never sleep when idle (deprecated in RivetKit; {@code c.sleep()} still works)
 * @param maxSchedules pending schedules per actor (1,000)
 */
public record ActorOptions(
    Duration sleepTimeout,
    Duration sleepGracePeriod,
    Duration actionTimeout,
    boolean noSleep,
    int maxSchedules) {
  public static final ActorOptions DEFAULTS =
      new ActorOptions(Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofSeconds(60), false, 1000);

  public ActorOptions {
    positive(sleepTimeout, "sleepTimeout");
    positive(sleepGracePeriod, "sleepGracePeriod");
    positive(actionTimeout, "actionTimeout");
    if (maxSchedules < 1) {
      throw new IllegalArgumentException("maxSchedules must be at least 1, got " + maxSchedules);
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  public ActorOptions withSleepTimeout(Duration d) {
    return new ActorOptions(d, sleepGracePeriod, actionTimeout, noSleep, maxSchedules);
  }

  public ActorOptions withSleepGracePeriod(Duration d) {
    return new ActorOptions(sleepTimeout, d, actionTimeout, noSleep, maxSchedules);
  }

  public ActorOptions withActionTimeout(Duration d) {
    return new ActorOptions(sleepTimeout, sleepGracePeriod, d, noSleep, maxSchedules);
  }

  public ActorOptions withNoSleep(boolean b) {
    return new ActorOptions(sleepTimeout, sleepGracePeriod, actionTimeout, b, maxSchedules);
  }

  public ActorOptions withMaxSchedules(int n) {
    return new ActorOptions(sleepTimeout, sleepGracePeriod, actionTimeout, noSleep, n);
  }
}
