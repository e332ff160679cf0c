package io.rivet4j.examples.counter;

/** The counter's durable state. */
public record CounterState(long count) {}
