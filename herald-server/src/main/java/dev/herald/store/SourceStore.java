package dev.herald.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.herald.incoming.DedupeRule;
import dev.herald.incoming.EventTypeRule;
import dev.herald.incoming.Source;
import dev.herald.incoming.SuccessResponse;
import dev.herald.incoming.verify.Preset;
import dev.herald.incoming.verify.VerifierConfig;
import dev.herald.json.Json;
import dev.herald.secret.SecretCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * SQL for incoming-webhook sources. The verifier's secrets are encrypted here on the way in and
 * decrypted on the way out (as {@link EndpointStore} does for endpoint secrets); the other settings
 * are one JSON document.
 */
public final class SourceStore {
  private static final String COLUMNS =
      "id, org_id, app_id, uid, name, disabled, settings, secrets_enc, ingest_id, old_ingest_id,"
          + " old_ingest_expires_at, created_at, updated_at";
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  /** Everything but the secrets, as stored in {@code settings}. */
  private record Stored(
      String type,
      Integer toleranceSeconds,
      String publicUrl,
      String header,
      String algorithm,
      String encoding,
      String prefix,
      EventTypeRule eventType,
      DedupeRule dedupe,
      SuccessResponse response,
      int failureStatus,
      Integer rateLimit) {}

  private final SecretCipher cipher;

  public SourceStore(SecretCipher cipher) {
    this.cipher = cipher;
  }

  public void insert(Sql sql, Source s) {
    sql.update(
        "INSERT INTO inbound_source ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.id(),
        s.orgId(),
        s.appId(),
        s.uid(),
        s.name(),
        s.disabled(),
        settingsText(s),
        cipher.encrypt(Json.write(s.verifier().secrets())),
        s.ingestId(),
        s.oldIngestId(),
        s.oldIngestExpiresAt(),
        s.createdAt(),
        s.updatedAt());
  }

  public void update(Sql sql, Source s) {
    int n =
        sql.update(
            "UPDATE inbound_source SET uid = ?, name = ?, disabled = ?, settings = ?,"
                + " secrets_enc = ?, ingest_id = ?, old_ingest_id = ?, old_ingest_expires_at = ?,"
                + " updated_at = ? WHERE id = ? AND org_id = ? AND deleted_at IS NULL",
            s.uid(),
            s.name(),
            s.disabled(),
            settingsText(s),
            cipher.encrypt(Json.write(s.verifier().secrets())),
            s.ingestId(),
            s.oldIngestId(),
            s.oldIngestExpiresAt(),
            s.updatedAt(),
            s.id(),
            s.orgId());
    Rows.expectOne(n, "inbound_source", s.id());
  }

  public boolean softDelete(Sql sql, String orgId, String id, Instant now) {
    return sql.update(
            "UPDATE inbound_source SET deleted_at = ? WHERE id = ? AND org_id = ?"
                + " AND deleted_at IS NULL",
            now,
            id,
            orgId)
        == 1;
  }

  /** A live source of the application by id or uid. */
  public Optional<Source> find(Sql sql, String orgId, String appId, String idOrUid) {
    return sql.queryOne(
        "SELECT "
            + COLUMNS
            + " FROM inbound_source WHERE org_id = ? AND app_id = ? AND deleted_at IS NULL"
            + " AND (id = ? OR uid = ?) ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END LIMIT 1",
        this::map,
        orgId,
        appId,
        idOrUid,
        idOrUid,
        idOrUid);
  }

  public Page<Source> list(Sql sql, String orgId, String appId, PageRequest page) {
    var rows =
        sql.query(
            "SELECT "
                + COLUMNS
                + " FROM inbound_source WHERE org_id = ? AND app_id = ? AND deleted_at IS NULL"
                + page.cursorClause("id")
                + page.orderClause("id"),
            this::map,
            page.withCursor(orgId, appId));
    return Page.of(rows, page, Source::id);
  }

  /**
   * The live source an ingest URL names (its current ingest id, or the previous one until it
   * expires), whatever its org: the URL is the only thing a provider sends.
   */
  public Optional<Source> findByIngestId(Sql sql, String ingestId, Instant now) {
    return sql.queryOne(
        "SELECT "
            + COLUMNS
            + " FROM inbound_source WHERE (ingest_id = ? OR (old_ingest_id = ?"
            + " AND old_ingest_expires_at > ?)) AND deleted_at IS NULL"
            + " AND app_id IN (SELECT id FROM application WHERE deleted_at IS NULL) LIMIT 1",
        this::map,
        ingestId,
        ingestId,
        now);
  }

  private static String settingsText(Source s) {
    VerifierConfig v = s.verifier();
    return Json.write(
        new Stored(
            v.type().wireName(),
            v.toleranceSeconds(),
            v.publicUrl(),
            v.header(),
            v.algorithm(),
            v.encoding(),
            v.prefix(),
            s.eventType(),
            s.dedupe(),
            s.response(),
            s.failureStatus(),
            s.rateLimit()));
  }

  private Source map(ResultSet rs) throws SQLException {
    Stored st;
    List<String> secrets;
    try {
      st = Json.MAPPER.readValue(rs.getString("settings"), Stored.class);
      secrets = Json.MAPPER.readValue(cipher.decrypt(rs.getString("secrets_enc")), STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored source settings are corrupt", e);
    }
    VerifierConfig verifier =
        new VerifierConfig(
            Preset.byWireName(st.type()).orElseThrow(),
            secrets,
            st.toleranceSeconds(),
            st.publicUrl(),
            st.header(),
            st.algorithm(),
            st.encoding(),
            st.prefix());
    return new Source(
        rs.getString("id"),
        rs.getString("org_id"),
        rs.getString("app_id"),
        rs.getString("uid"),
        rs.getString("name"),
        rs.getBoolean("disabled"),
        verifier,
        st.eventType() == null ? EventTypeRule.DEFAULT : st.eventType(),
        st.dedupe() == null ? DedupeRule.DEFAULT : st.dedupe(),
        st.response() == null ? SuccessResponse.DEFAULT : st.response(),
        st.failureStatus(),
        st.rateLimit(),
        rs.getString("ingest_id"),
        rs.getString("old_ingest_id"),
        Sql.nullableInstant(rs, "old_ingest_expires_at"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }
}
