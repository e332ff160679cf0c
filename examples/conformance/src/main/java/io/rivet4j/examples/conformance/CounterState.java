package io.rivet4j.examples.conformance;

/** The counter's durable state, {@code {"count": 0}} on creation. */
public record CounterState(double count) {}
