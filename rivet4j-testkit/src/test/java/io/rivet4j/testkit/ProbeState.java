package io.rivet4j.testkit;

/** The probe's durable state. */
public record ProbeState(long value) {}
