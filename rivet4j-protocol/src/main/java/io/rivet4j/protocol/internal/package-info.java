/**
 * Implementation of {@link io.rivet4j.protocol}: BARE, CBOR and JSON readers and writers, the
 * JavaScript value model (numbers, dates, JSON-compat tags) and the Java value normalization.
 * Not an API; anything here may change.
 */
package io.rivet4j.protocol.internal;
