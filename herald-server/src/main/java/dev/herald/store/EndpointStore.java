package dev.herald.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.endpoint.Endpoint;
import dev.herald.endpoint.SigningSecret;
import dev.herald.filter.ContentFilter;
import dev.herald.filter.FilterDocument;
import dev.herald.json.Json;
import dev.herald.secret.SecretCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL for endpoints. The signing secret, old secrets and custom headers are encrypted here on the
 * way in and decrypted on the way out, so no other code sees ciphertext and the database never
 * holds them in clear.
 */
public final class EndpointStore {
  private static final String COLUMNS =
      "id, org_id, app_id, uid, url, description, disabled, event_types, channels, throttle_rate,"
          + " metadata, secret_enc, old_secrets_enc, headers_enc, failing_since, created_at, updated_at,"
          + " content_filter, ordered";
  private static final TypeReference<List<StoredOldSecret>> OLD_SECRETS = new TypeReference<>() {};

  private record StoredOldSecret(String key, long expiresAt) {}

  private final SecretCipher cipher;

  public EndpointStore(SecretCipher cipher) {
    this.cipher = cipher;
  }

  public void insert(Sql sql, Endpoint e) {
    sql.update(
        "INSERT INTO endpoint ("
            + COLUMNS
            + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        e.id(),
        e.orgId(),
        e.appId(),
        e.uid(),
        e.url(),
        e.description(),
        e.disabled(),
        listText(e.eventTypes()),
        listText(e.channels()),
        e.throttleRate(),
        Json.write(e.metadata()),
        cipher.encrypt(e.secret().text()),
        oldSecretsText(e),
        cipher.encrypt(Json.write(e.headers())),
        e.failingSince(),
        e.createdAt(),
        e.updatedAt(),
        filterText(e),
        e.ordered());
  }

  public void update(Sql sql, Endpoint e) {
    int n =
        sql.update(
            "UPDATE endpoint SET uid = ?, url = ?, description = ?, disabled = ?, event_types = ?, channels = ?,"
                + " throttle_rate = ?, metadata = ?, secret_enc = ?, old_secrets_enc = ?, headers_enc = ?,"
                + " failing_since = ?, updated_at = ?, content_filter = ?, ordered = ?"
                + " WHERE id = ? AND org_id = ? AND deleted_at IS NULL",
            e.uid(),
            e.url(),
            e.description(),
            e.disabled(),
            listText(e.eventTypes()),
            listText(e.channels()),
            e.throttleRate(),
            Json.write(e.metadata()),
            cipher.encrypt(e.secret().text()),
            oldSecretsText(e),
            cipher.encrypt(Json.write(e.headers())),
            e.failingSince(),
            e.updatedAt(),
            filterText(e),
            e.ordered(),
            e.id(),
            e.orgId());
    Rows.expectOne(n, "endpoint", e.id());
  }

  public boolean softDelete(Sql sql, String orgId, String id, Instant now) {
    return sql.update(
            "UPDATE endpoint SET deleted_at = ? WHERE id = ? AND org_id = ? AND deleted_at IS NULL",
            now,
            id,
            orgId)
        == 1;
  }

  /** Finds a live endpoint of the application by id or uid. */
  public Optional<Endpoint> find(Sql sql, String orgId, String appId, String idOrUid) {
    return sql.queryOne(
        "SELECT "
            + COLUMNS
            + " FROM endpoint WHERE org_id = ? AND app_id = ? AND deleted_at IS NULL"
            + " AND (id = ? OR uid = ?) ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END LIMIT 1",
        this::map,
        orgId,
        appId,
        idOrUid,
        idOrUid,
        idOrUid);
  }

  public Page<Endpoint> list(Sql sql, String orgId, String appId, PageRequest page) {
    var rows =
        sql.query(
            "SELECT "
                + COLUMNS
                + " FROM endpoint WHERE org_id = ? AND app_id = ? AND deleted_at IS NULL"
                + page.cursorClause("id")
                + page.orderClause("id"),
            this::map,
            page.withCursor(orgId, appId));
    return Page.of(rows, page, Endpoint::id);
  }

  /**
   * An endpoint's filters: all fan-out needs, read without decrypting anything. {@code filter} is
   * the content filter, compiled once per distinct text; {@code metadata} (as the filter sees it)
   * is read only with one.
   */
  public record Route(
      String id,
      List<String> eventTypes,
      List<String> channels,
      ContentFilter filter,
      JsonNode metadata,
      boolean ordered) {

    /** Whether the content filter (if any) passes the message's document. */
    public boolean accepts(FilterDocument document) {
      return document.passes(filter, metadata);
    }
  }

  private static final String ROUTE_COLUMNS =
      "id, event_types, channels, content_filter,"
          + " CASE WHEN content_filter IS NULL THEN NULL ELSE metadata END, ordered";

  /** The filters of every live, enabled endpoint of an application: the fan-out candidates. */
  public List<Route> listRoutes(Sql sql, String appId) {
    return sql.query(
        "SELECT "
            + ROUTE_COLUMNS
            + " FROM endpoint WHERE app_id = ? AND deleted_at IS NULL AND disabled = FALSE",
        rs -> route(rs, 1),
        appId);
  }

  /**
   * {@link #listRoutes(Sql, String)} of several applications in one statement, by application id.
   */
  public java.util.Map<String, List<Route>> listRoutes(
      Sql sql, java.util.Collection<String> appIds) {
    java.util.Map<String, List<Route>> byApp = new java.util.HashMap<>();
    appIds.forEach(id -> byApp.put(id, new java.util.ArrayList<>()));
    sql.query(
        "SELECT app_id, "
            + ROUTE_COLUMNS
            + " FROM endpoint WHERE app_id IN ("
            + String.join(", ", java.util.Collections.nCopies(appIds.size(), "?"))
            + ") AND deleted_at IS NULL AND disabled = FALSE",
        rs -> byApp.get(rs.getString(1)).add(route(rs, 2)),
        appIds.toArray());
    return byApp;
  }

  private static Route route(ResultSet rs, int from) throws SQLException {
    ContentFilter filter = ContentFilter.fromStored(rs.getString(from + 3));
    return new Route(
        rs.getString(from),
        Json.stringList(rs.getString(from + 1)),
        Json.stringList(rs.getString(from + 2)),
        filter,
        filter == null ? null : Json.tree(rs.getString(from + 4)),
        rs.getBoolean(from + 5));
  }

  /**
   * After an endpoint's {@code ordered} changed: turned on, its pending deliveries not in flight
   * wait behind the oldest of them; turned off, all become due now. Deliveries already in flight
   * finish as they are.
   */
  public void reorder(Sql sql, String endpointId, boolean ordered, Instant now) {
    String pending = sql.dialect().pendingOfOrderedEndpoint();
    if (ordered) {
      markOrdered(sql, endpointId, true);
      sql.update(
          "UPDATE delivery SET next_attempt_at = NULL, updated_at = ? WHERE endpoint_id = ?"
              + " AND "
              + pending
              + " AND lease_owner IS NULL AND id <> (SELECT MIN(id) FROM delivery"
              + " WHERE endpoint_id = ? AND "
              + pending
              + ")",
          now,
          endpointId,
          endpointId);
    } else {
      // Waiting rows are read while they are still marked ordered (on SQLite that index holds
      // them), then the mark goes.
      sql.update(
          "UPDATE delivery SET next_attempt_at = ?, updated_at = ? WHERE endpoint_id = ?"
              + " AND "
              + pending
              + " AND next_attempt_at IS NULL",
          now,
          now,
          endpointId);
      markOrdered(sql, endpointId, false);
    }
  }

  /**
   * The pending rows' own copy of the endpoint's ordered setting, which partial indexes read. Each
   * statement reads an index that holds pending rows only (on SQLite an unqualified one walked the
   * endpoint's whole history). Turning it on marks the rows not in flight; one in flight takes the
   * setting when its attempt is recorded ({@link DeliveryStore#complete}).
   */
  private static void markOrdered(Sql sql, String endpointId, boolean ordered) {
    sql.update(
        ordered
            ? "UPDATE delivery SET ordered = TRUE WHERE endpoint_id = ? AND status = 1"
                + " AND lease_owner IS NULL"
            : "UPDATE delivery SET ordered = FALSE WHERE endpoint_id = ? AND status = 1 AND ordered",
        endpointId);
  }

  /**
   * Loads a live endpoint of a live application by id, whatever its org (the dispatcher's view).
   */
  public Optional<Endpoint> findForDelivery(Sql sql, String id) {
    return sql.queryOne(
        "SELECT "
            + COLUMNS
            + " FROM endpoint WHERE id = ? AND deleted_at IS NULL"
            + " AND app_id IN (SELECT id FROM application WHERE deleted_at IS NULL)",
        this::map,
        id);
  }

  /**
   * What an operational event about an endpoint names: its org, application (id and uid), its own
   * uid and since when it has been failing (epoch milliseconds, null when it is not).
   */
  public record Owner(
      String orgId, String appId, String appUid, String endpointUid, Long failingSince) {}

  /** The endpoint's {@link Owner}, deleted endpoints included. */
  public Optional<Owner> owner(Sql sql, String endpointId) {
    return sql.queryOne(
        "SELECT e.org_id, e.app_id, a.uid, e.uid, e.failing_since FROM endpoint e"
            + " JOIN application a ON a.id = e.app_id WHERE e.id = ?",
        rs ->
            new Owner(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                Sql.nullableLong(rs, "failing_since")),
        endpointId);
  }

  /**
   * An endpoint's URL alone, read without decrypting anything (for the record of a failed attempt).
   */
  public Optional<String> findUrl(Sql sql, String id) {
    return sql.queryOne("SELECT url FROM endpoint WHERE id = ?", rs -> rs.getString(1), id);
  }

  /** A success resets the endpoint's failure clock. */
  public void markSucceeded(Sql sql, List<String> endpointIds) {
    // One statement per batch, not one per endpoint: nearly always no row is failing.
    for (int from = 0; from < endpointIds.size(); from += 500) {
      List<String> chunk = endpointIds.subList(from, Math.min(endpointIds.size(), from + 500));
      sql.update(
          "UPDATE endpoint SET failing_since = NULL WHERE failing_since IS NOT NULL AND id IN ("
              + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"))
              + ")",
          chunk.toArray());
    }
  }

  /**
   * Records exhausted deliveries: starts the failure clock if it is not running, then disables the
   * endpoints whose clock started at or before {@code disableIfFailingSince}.
   *
   * @return the ids of endpoints disabled by this call
   */
  public List<String> markExhausted(
      Sql sql, List<String> endpointIds, Instant now, Instant disableIfFailingSince) {
    sql.batch(
        "UPDATE endpoint SET failing_since = ? WHERE id = ? AND failing_since IS NULL",
        endpointIds.stream().map(id -> new Object[] {now, id}).toList());
    List<String> disabled = new java.util.ArrayList<>();
    for (String id : endpointIds) {
      int n =
          sql.update(
              "UPDATE endpoint SET disabled = TRUE, updated_at = ? WHERE id = ? AND disabled = FALSE"
                  + " AND failing_since IS NOT NULL AND failing_since <= ?",
              now,
              id,
              disableIfFailingSince);
      if (n == 1) {
        disabled.add(id);
      }
    }
    return disabled;
  }

  private static String filterText(Endpoint e) {
    return e.filter() == null ? null : e.filter().text();
  }

  private static String listText(List<String> list) {
    return list == null ? null : Json.write(list);
  }

  private String oldSecretsText(Endpoint e) {
    if (e.oldSecrets().isEmpty()) {
      return null;
    }
    var stored =
        e.oldSecrets().stream()
            .map(o -> new StoredOldSecret(o.key(), o.expiresAt().toEpochMilli()))
            .toList();
    return cipher.encrypt(Json.write(stored));
  }

  private Endpoint map(ResultSet rs) throws SQLException {
    String oldEnc = rs.getString("old_secrets_enc");
    List<Endpoint.OldSecret> old = List.of();
    if (oldEnc != null) {
      try {
        old =
            Json.MAPPER.readValue(cipher.decrypt(oldEnc), OLD_SECRETS).stream()
                .map(s -> new Endpoint.OldSecret(s.key(), Instant.ofEpochMilli(s.expiresAt())))
                .toList();
      } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
        throw new IllegalStateException("stored old secrets are corrupt", ex);
      }
    }
    String headersEnc = rs.getString("headers_enc");
    Map<String, String> headers =
        headersEnc == null ? Map.of() : Json.stringMap(cipher.decrypt(headersEnc));
    Long failing = Sql.nullableLong(rs, "failing_since");
    return new Endpoint(
        rs.getString("id"),
        rs.getString("org_id"),
        rs.getString("app_id"),
        rs.getString("uid"),
        rs.getString("url"),
        rs.getString("description"),
        rs.getBoolean("disabled"),
        Json.stringList(rs.getString("event_types")),
        Json.stringList(rs.getString("channels")),
        Sql.nullableInt(rs, "throttle_rate"),
        Json.stringMap(rs.getString("metadata")),
        SigningSecret.parse(cipher.decrypt(rs.getString("secret_enc"))),
        old,
        headers,
        failing == null ? null : Instant.ofEpochMilli(failing),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")),
        ContentFilter.fromStored(rs.getString("content_filter")),
        rs.getBoolean("ordered"));
  }
}
