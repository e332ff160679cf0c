package io.rivet4j.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording as markdown: samples
 * per thread group, the top methods by self samples, and the top methods by inclusive samples
 * (a method counted once per sample whose stack holds it).
 *
 * <pre>
 * java -cp … io.rivet4j.benchmarks.JfrTop recording.jfr [top] [thread-prefix]
 * </pre>
 */
public final class JfrTop {
  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrTop recording.jfr [top (25)] [thread-name-prefix]");
      System.exit(2);
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    String only = args.length > 2 ? args[2] : null;
    Map<String, Integer> byThread = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      String thread = group(e.getThread("sampledThread") == null ? "?"
          : e.getThread("sampledThread").getJavaName());
      if (only != null && !thread.startsWith(only)) {
        continue;
      }
      total++;
      byThread.merge(thread, 1, Integer::sum);
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String n = name(f.getMethod());
        if (seen.add(n)) {
          inclusive.merge(n, 1, Integer::sum);
        }
      }
    }
    System.out.printf(Locale.ROOT, "%d CPU samples%s%n%n", total,
        only == null ? "" : " on threads " + only + "*");
    table("thread (group)", byThread, total, 12);
    table("method (self)", self, total, top);
    table("method (inclusive)", inclusive, total, top);
  }

  private static void table(String title, Map<String, Integer> counts, int total, int top) {
    System.out.println("| " + title + " | samples | % |");
    System.out.println("|---|---:|---:|");
    counts.entrySet().stream()
        .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
        .limit(top)
        .forEach(en -> System.out.printf(Locale.ROOT, "| `%s` | %d | %.1f |%n", en.getKey(),
            en.getValue(), 100.0 * en.getValue() / Math.max(1, total)));
    System.out.println();
  }

  private static String name(RecordedMethod m) {
    String type = m.getType().getName();
    type = type.replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda");
    int dot = type.lastIndexOf('.');
    return (dot >= 0 ? type.substring(dot + 1) : type) + "." + m.getName();
  }

  /** Thread names without their trailing number ("rivet4j-actor-17" → "rivet4j-actor-*"). */
  private static String group(String thread) {
    return thread == null || thread.isEmpty() ? "(unnamed virtual)"
        : thread.replaceAll("\\d+$", "*");
  }
}
