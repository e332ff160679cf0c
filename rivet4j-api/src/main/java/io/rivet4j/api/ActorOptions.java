package io.rivet4j.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-actor options with RivetKit 2.3.19's defaults.
 *
 * @param sleepTimeout idle time before the actor sleeps (30 s)
 * @param sleepGracePeriod budget for {@code onSleep}/{@code onDestroy} and in-flight work (15 s)
 * @param actionTimeout time an action may take before the caller gets
 *     {@code actor.action_timed_out} (60 s); also bounds a client's wait for a queue completion
 * @param noSleep never sleep when idle (deprecated in RivetKit; {@code c.sleep()} still works)
 * @param maxSchedules pending schedules per actor (1,000)
 * @param maxQueueSize stored queue messages per actor (1,000)
 * @param maxQueueMessageSize bytes of one encoded queue message body (65,536; at most 131,072)
 */
public record ActorOptions(
    Duration sleepTimeout,
    Duration sleepGracePeriod,
    Duration actionTimeout,
    boolean noSleep,
    int maxSchedules,
    int maxQueueSize,
    int maxQueueMessageSize) {
  /** The largest {@code maxQueueMessageSize}: a message must fit one stored value. */
  public static final int MAX_QUEUE_MESSAGE_SIZE = 128 * 1024;

  public static final ActorOptions DEFAULTS = new ActorOptions(Duration.ofSeconds(30),
      Duration.ofSeconds(15), Duration.ofSeconds(60), false, 1000, 1000, 65_536);

  public ActorOptions {
    positive(sleepTimeout, "sleepTimeout");
    positive(sleepGracePeriod, "sleepGracePeriod");
    positive(actionTimeout, "actionTimeout");
    if (maxSchedules < 1) {
      throw new IllegalArgumentException("maxSchedules must be at least 1, got " + maxSchedules);
    }
    if (maxQueueSize < 1) {
      throw new IllegalArgumentException("maxQueueSize must be at least 1, got " + maxQueueSize);
    }
    if (maxQueueMessageSize < 1 || maxQueueMessageSize > MAX_QUEUE_MESSAGE_SIZE) {
      throw new IllegalArgumentException("maxQueueMessageSize must be 1-" + MAX_QUEUE_MESSAGE_SIZE
          + " bytes, got " + maxQueueMessageSize);
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  public ActorOptions withSleepTimeout(Duration d) {
    return new ActorOptions(d, sleepGracePeriod, actionTimeout, noSleep, maxSchedules,
        maxQueueSize, maxQueueMessageSize);
  }

  public ActorOptions withSleepGracePeriod(Duration d) {
    return new ActorOptions(sleepTimeout, d, actionTimeout, noSleep, maxSchedules, maxQueueSize,
        maxQueueMessageSize);
  }

  public ActorOptions withActionTimeout(Duration d) {
    return new ActorOptions(sleepTimeout, sleepGracePeriod, d, noSleep, maxSchedules,
        maxQueueSize, maxQueueMessageSize);
  }

  public ActorOptions withNoSleep(boolean b) {
    return new ActorOptions(sleepTimeout, sleepGracePeriod, actionTimeout, b, maxSchedules,
        maxQueueSize, maxQueueMessageSize);
  }

  public ActorOptions withMaxSchedules(int n) {
    return new ActorOptions(sleepTimeout, sleepGracePeriod, actionTimeout, noSleep, n,
        maxQueueSize, maxQueueMessageSize);
  }

  public ActorOptions withMaxQueueSize(int n) {
    return new ActorOptions(sleepTimeout, sleepGracePeriod, actionTimeout, noSleep, maxSchedules,
        n, maxQueueMessageSize);
  }

  public ActorOptions withMaxQueueMessageSize(int bytes) {
    return new ActorOptions(sleepTimeout, sleepGracePeriod, actionTimeout, noSleep, maxSchedules,
        maxQueueSize, bytes);
  }
}
