package dev.herald.store;

/** Checks the row count of a guarded UPDATE: more than one row changed is a bug, not a race. */
final class Rows {
  private Rows() {}

  static void expectOne(int count, String table, String id) {
    if (count > 1) {
      throw new IllegalStateException(count + " rows of " + table + " changed for id " + id);
    }
    if (count == 0) {
      throw new dev.herald.error.NotFound(table.replace('_', ' ') + " " + id + " not found");
    }
  }
}
