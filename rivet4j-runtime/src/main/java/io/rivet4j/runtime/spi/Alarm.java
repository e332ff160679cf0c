package io.rivet4j.runtime.spi;

/** An actor that asked to be woken at {@code wakeAtMillis} (epoch milliseconds). */
public record Alarm(String actorId, String name, long wakeAtMillis) {}
