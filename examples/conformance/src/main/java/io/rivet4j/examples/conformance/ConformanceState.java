package io.rivet4j.examples.conformance;

/**
 * The conformance actor's durable state, {@code {"input": input ?? null, "count": 0, "wakes": 0}}
 * on creation.
 *
 * @param input the creation input, any value ({@code null} when none was given)
 * @param count a JavaScript number
 * @param wakes starts so far (the first one included)
 */
public record ConformanceState(Object input, double count, long wakes) {}
