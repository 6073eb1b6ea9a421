package dev.herald.store;

/** An unexpected database failure: a bug or a broken database, never a caller's mistake. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
