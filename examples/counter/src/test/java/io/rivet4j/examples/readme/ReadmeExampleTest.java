package io.rivet4j.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.ActorType;
import io.rivet4j.api.Event;
import io.rivet4j.api.Key;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example, compiled and run; the README block must match the marked lines. */
class ReadmeExampleTest {
  // README-BEGIN
  @ActorType("counter")
  public interface Counter {
    Event<Long> NEW_COUNT = Event.of("newCount", Long.class);
    long increment(long amount);
    long getCount();
  }

  record CounterState(long count) {}

  static final class CounterActor implements Counter {
    private final ActorContext<CounterState> c;           // RivetKit's `c`; fields are vars
    CounterActor(ActorContext<CounterState> c) { this.c = c; }

    public long increment(long amount) {
      long next = c.updateState(s -> new CounterState(s.count() + amount)).count();
      c.broadcast(NEW_COUNT, next);                        // sent after the change is on disk
      return next;
    }
    public long getCount() { return c.state().count(); }
  }

  static long run(Path dataDir) {
    Registry registry = Registry.builder()
        .actor(Actor.of(Counter.class, CounterActor::new).initialState(new CounterState(0)))
        .build();
    try (RivetRuntime rivet = RivetRuntime.start(registry, RuntimeConfig.builder(dataDir).build())) {
      Counter counter = rivet.client().getOrCreate(Counter.class, Key.of("my-counter"));
      return counter.increment(5);                         // durable before it returns
    }
  }
  // README-END

  @TempDir
  Path dir;

  @Test
  void exampleRunsAndKeepsItsStateAcrossRuns() {
    assertEquals(5, run(dir));
    assertEquals(10, run(dir));
  }

  @Test
  void readmeShowsExactlyThisCode() throws IOException {
    String source = Files.readString(Path.of("src/test/java/io/rivet4j/examples/readme/"
        + "ReadmeExampleTest.java"));
    String marked = source.substring(source.indexOf("// README-BEGIN\n") + 16,
        source.indexOf("  // README-END"));
    String expected = marked.lines().map(l -> l.length() >= 2 ? l.substring(2) : l)
        .reduce("", (a, b) -> a + b + "\n");
    String readme = Files.readString(Path.of("../../README.md"));
    int start = readme.indexOf("```java\n") + 8;
    String block = readme.substring(start, readme.indexOf("```", start));
    assertEquals(expected, block, "README.md's first java block must match ReadmeExampleTest");
  }
}
