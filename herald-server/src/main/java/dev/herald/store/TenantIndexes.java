package dev.herald.store;

import java.util.List;

/**
 * Fills SQLite's indexes by application and endpoint id ({@code message_app}, {@code
 * delivery_endpoint}, {@code attempt_endpoint}; migration V18). A row enters them only once it is
 * marked {@code tenant_indexed}, so the single writer no longer writes a leaf page per application
 * and endpoint at every commit: a fill marks every row written since the last one, a second's worth
 * of entries per page at once. Herald fills once a second ({@code tenant-index-fill}), before every
 * read by application or endpoint ({@link Database#readByTenant}), and at the start of writes that
 * select rows that way. On PostgreSQL those indexes hold every row and a fill does nothing.
 */
public final class TenantIndexes {
  private static final List<String> TABLES = List.of("message", "delivery", "attempt");

  private TenantIndexes() {}

  /** Marks the rows written since the last fill; returns how many it marked. */
  public static int fill(Sql sql) {
    if (!sql.dialect().fillsTenantIndexes()) {
      return 0;
    }
    int marked = 0;
    for (String table : TABLES) {
      // The index of unmarked rows holds the last fill's worth at most: no walk of the table.
      marked +=
          sql.update(
              "UPDATE "
                  + table
                  + " INDEXED BY "
                  + table
                  + "_unindexed SET tenant_indexed = TRUE WHERE NOT tenant_indexed");
    }
    return marked;
  }
}
