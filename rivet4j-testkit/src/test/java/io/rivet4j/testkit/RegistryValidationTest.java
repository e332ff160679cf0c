package io.rivet4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.ActorType;
import io.rivet4j.runtime.Registry;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registry.build() rejects definitions with messages that say what to fix. */
class RegistryValidationTest {
  @ActorType("overloaded")
  interface Overloaded {
    long add(long n);

    long add(long n, long m);
  }

  @ActorType("badTypes")
  interface BadTypes {
    void take(Thread t);

    InputStream give();

    long keys(Map<Long, String> m);
  }

  @ActorType("hooky")
  interface Hooky {
    long get();
  }

  /** Uses a RivetKit 1 hook name. */
  public static final class HookyActor implements Hooky {
    public HookyActor(ActorContext<Long> c) {}

    @Override
    public long get() {
      return 0;
    }

    public void onStart() {}
  }

  interface NotAnnotated {
    long get();
  }

  private static String problems(Registry.Builder b) {
    return assertThrows(IllegalArgumentException.class, b::build).getMessage();
  }

  @Test
  void duplicateBuilderActionsAreRejected() {
    String msg = problems(Registry.builder().actor(Actor.<Long>builder("dup").initialState(0L)
        .action("a", (c, args) -> 1).action("a", (c, args) -> 2)));
    assertEquals("invalid registry:\n  - actor 'dup': action 'a' is defined more than once;"
        + " action names must be unique", msg);
  }

  @Test
  void queueDeclarationMistakesAreRejected() {
    String msg = problems(Registry.builder().actor(Actor.<Long>builder("q").initialState(0L)
        .queue("jobs").queue("jobs")
        .canPublish("nope", c -> true)
        .queue("threads", Thread.class, (c, t) -> null)));
    List<String> lines = msg.lines().skip(1).toList();
    assertEquals(List.of(
        "  - actor 'q': queue 'jobs' is declared more than once",
        "  - actor 'q': canPublish(\"nope\", ...) names a queue that is not declared: declare it"
            + " with queue(\"nope\") first"), lines.subList(0, 2), msg);
    assertEquals(3, lines.size(), msg);
    assertTrue(lines.get(2).startsWith("  - actor 'q': the body type of queue 'threads'"
        + " (java.lang.Thread) is not serializable: "), msg);
  }

  @Test
  void overloadedContractMethodsAreRejected() {
    String msg = problems(Registry.builder().actor(Actor.of(Overloaded.class,
        (ActorContext<Long> c) -> (Overloaded) null)));
    assertEquals("invalid registry:\n  - actor 'overloaded': method 'add' is overloaded in"
        + " Overloaded; action names must be unique, so rename one of them", msg);
  }

  @Test
  void unserializableTypesAreRejectedWithAHint() {
    String msg = problems(Registry.builder().actor(Actor.of(BadTypes.class,
        (ActorContext<Long> c) -> (BadTypes) null)));
    List<String> lines = msg.lines().skip(1).toList();
    assertEquals(3, lines.size(), msg);
    assertEquals("  - actor 'badTypes': the result of action 'give' (java.io.InputStream) is not"
        + " serializable: java.io.InputStream is not serializable; use a record, enum, String, boolean,"
        + " number, byte[], List, Set or Map<String, …> of those, or Object for any value",
        lines.get(0));
    assertEquals("  - actor 'badTypes': parameter 1 of action 'keys'"
        + " (java.util.Map<java.lang.Long, java.lang.String>) is not serializable: map keys must"
        + " be String, not java.lang.Long; use a record, enum, String, boolean, number, byte[],"
        + " List, Set or Map<String, …> of those, or Object for any value", lines.get(1));
    assertEquals("  - actor 'badTypes': parameter 1 of action 'take' (java.lang.Thread) is not"
        + " serializable: java.lang.Thread is not serializable; use a record, enum, String,"
        + " boolean, number, byte[], List, Set or Map<String, …> of those, or Object for any"
        + " value", lines.get(2));
  }

  @Test
  void unknownHookNamesAreRejected() {
    String msg = problems(Registry.builder().<Hooky, Long>actor(Hooky.class, HookyActor.class,
        a -> a.stateType(Long.class)));
    assertEquals("invalid registry:\n  - actor 'hooky': HookyActor.onStart is not a known hook"
        + " (RivetKit 2 calls it onWake); known hooks: createConnState, onBeforeActionResponse,"
        + " onBeforeConnect, onConnect, onDestroy, onDisconnect, onRequest, onSleep,"
        + " onStateChange, onWake, onWebSocket; implement ActorHooks to override them", msg);
  }

  @Test
  void duplicateActorNamesAndBothStateFormsAreRejected() {
    String msg = problems(Registry.builder()
        .actor(Actor.<Long>builder("same").initialState(0L))
        .actor(Actor.<Long>builder("same").initialState(0L)
            .createState(Long.class, (c, in) -> 1L)));
    assertEquals("invalid registry:\n"
        + "  - actor 'same': define either initialState(...) or createState(...), not both", msg);
    String dup = problems(Registry.builder()
        .actor(Actor.<Long>builder("same").initialState(0L))
        .actor(Actor.<Long>builder("same").initialState(1L)));
    assertEquals("invalid registry:\n  - actor name 'same' is registered twice: each actor type needs"
        + " a unique name", dup);
  }

  @Test
  void emptyRegistryAndLongNamesAreRejected() {
    assertEquals("invalid registry:\n  - the registry has no actors: add one with"
        + " .actor(Actor.of(...))", problems(Registry.builder()));
    String longName = "x".repeat(65);
    assertEquals("invalid registry:\n  - actor '" + longName + "': the name must be 1-64"
        + " characters", problems(Registry.builder().actor(Actor.builder(longName))));
  }

  @Test
  void contractsNeedTheAnnotation() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Actor.of(NotAnnotated.class, (ActorContext<Long> c) -> (NotAnnotated) null));
    assertEquals(NotAnnotated.class.getName() + " is not an actor contract: annotate the"
        + " interface with @ActorType(\"<actor name>\")", e.getMessage());
  }
}
