package dev.herald.store;

/** An unexpected database failure: a bug or a broken database, never a caller's mistake. */
public final class StoreException extends RuntimeException {
  private final boolean retryable;

  public StoreException(String message, Throwable cause) {
    this(message, cause, false);
  }

  public StoreException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /**
   * True when the database rolled the transaction back because it collided with another one (a
   * deadlock, a serialization failure): running the same work again is expected to succeed.
   */
  public boolean retryable() {
    return retryable;
  }
}
