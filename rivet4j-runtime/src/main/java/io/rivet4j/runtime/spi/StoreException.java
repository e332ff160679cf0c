package io.rivet4j.runtime.spi;

/** The store could not read or write; the operation had no effect. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
