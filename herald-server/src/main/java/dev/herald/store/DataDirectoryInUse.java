package dev.herald.store;

/**
 * Another Herald process holds the SQLite database's lock file. Starting is refused: a second
 * process on the same file would break the lease rules. The message is meant for the operator as it
 * is, so the command line prints it alone, without a stack trace.
 */
public final class DataDirectoryInUse extends RuntimeException {
  DataDirectoryInUse(String message) {
    super(message, null, false, false);
  }
}
