package io.rivet4j.runtime.spi;

/** One key/value pair of an actor's KV space. Keys order as unsigned bytes. */
public record KvEntry(byte[] key, byte[] value) {}
