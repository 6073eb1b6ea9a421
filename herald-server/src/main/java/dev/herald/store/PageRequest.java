package dev.herald.store;

/**
 * One page of a list: at most {@code limit} items after the {@code iterator} (an id, or an event
 * type name). An iterator starting with '-' pages backwards from that key, as Svix's {@code
 * prevIterator} does.
 */
public record PageRequest(int limit, String iterator, boolean descending) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 250;

  public PageRequest {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    limit = Math.min(limit, MAX_LIMIT);
  }

  boolean backwards() {
    return iterator != null && iterator.startsWith("-");
  }

  String cursor() {
    return iterator == null ? null : backwards() ? iterator.substring(1) : iterator;
  }

  /** The direction rows are read from the database in. */
  boolean scanDescending() {
    return descending != backwards();
  }

  /** SQL fragment {@code AND key > ?} (or {@code <}) when there is a cursor, else empty. */
  String cursorClause(String keyColumn) {
    if (cursor() == null) {
      return "";
    }
    return " AND " + keyColumn + (scanDescending() ? " < ?" : " > ?");
  }

  String orderClause(String keyColumn) {
    return " ORDER BY "
        + keyColumn
        + (scanDescending() ? " DESC" : " ASC")
        + " LIMIT "
        + (limit + 1);
  }

  /** Appends the cursor to the query arguments when there is one. */
  Object[] withCursor(Object... args) {
    if (cursor() == null) {
      return args;
    }
    Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
    out[args.length] = cursor();
    return out;
  }
}
