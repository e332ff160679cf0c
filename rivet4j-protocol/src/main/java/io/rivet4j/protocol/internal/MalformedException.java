package io.rivet4j.protocol.internal;

/**
 * Raised by the internal readers when input does not decode. The public entry points turn it into
 * a {@link io.rivet4j.protocol.ProtocolException} carrying the RivetKit code for the kind of input.
 * It has no stack trace: hostile input must be cheap to reject.
 */
public final class MalformedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedException(String message) {
    super(message, null, false, false);
  }
}
