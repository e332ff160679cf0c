package io.rivet4j.testkit;

import io.rivet4j.api.ActorType;
import io.rivet4j.api.ScheduledFireInfo;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A test actor that exposes the runtime's behaviours one action at a time. */
@ActorType("probe")
public interface Probe {
  long add(long n);

  long get();

  /** Waits (asynchronously) for the gate, then returns the state at that moment. */
  CompletionStage<Long> getAfter(String gate);

  /** Waits for the gate, then adds {@code n} in a turn of the actor. */
  CompletionStage<Long> addAfter(String gate, long n);

  /** Blocks its turn until the gate opens. */
  String block(String gate);

  /** Keeps the actor awake until the gate opens. */
  void keepAwakeUntil(String gate);

  void sleepNow();

  void destroyNow();

  Object whoAmI();

  void emit(String event, Object payload);

  void emitToCaller(String event, Object payload);

  int connCount();

  String scheduleAdd(long delayMs, long n);

  String scheduleMissing(long delayMs);

  boolean cancelSchedule(String id);

  List<String> scheduleIds();

  /** Records the fire info it gets when scheduled. */
  long addScheduled(long n, ScheduledFireInfo fire);

  void fail(String code, String message);

  /** Throws an exception that is not a RivetError. */
  void crash();
}
