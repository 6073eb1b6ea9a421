package dev.herald.store;

/**
 * The database aborted a statement to break a deadlock or a serialization conflict between
 * concurrent transactions. Nothing about the work was wrong: running it again, in a new
 * transaction, succeeds or meets an ordinary outcome (a unique key now taken is a conflict). {@link
 * Database#write} and {@link GroupCommit} retry it, so it never reaches a client.
 */
public final class TransientConflict extends RuntimeException {
  public TransientConflict(String message, Throwable cause) {
    super(message, cause);
  }
}
