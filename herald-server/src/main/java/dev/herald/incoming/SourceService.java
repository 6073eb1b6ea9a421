package dev.herald.incoming;

import dev.herald.application.ApplicationService;
import dev.herald.error.NotFound;
import dev.herald.incoming.verify.InboundRequest;
import dev.herald.incoming.verify.VerifierConfig;
import dev.herald.store.Database;
import dev.herald.store.InboundStore;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.SourceStore;
import dev.herald.store.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Sources of an application: create, read, change, delete, rotate, and their request log. */
public final class SourceService {
  /** How long the previous ingest URL keeps working after a token rotation. */
  public static final Duration OLD_INGEST_URL_VALID = Duration.ofHours(48);

  private final Database db;
  private final SourceStore sources;
  private final InboundStore inbound;
  private final ApplicationService apps;
  private final SourceIds ids;
  private final InstantSource clock;

  public SourceService(
      Database db,
      SourceStore sources,
      InboundStore inbound,
      ApplicationService apps,
      InstantSource clock) {
    this.db = db;
    this.sources = sources;
    this.inbound = inbound;
    this.apps = apps;
    this.ids = new SourceIds(clock);
    this.clock = clock;
  }

  public Source create(String orgId, String appIdOrUid, Source.Settings in) {
    return db.write(
        sql -> {
          String appId = apps.find(sql, orgId, appIdOrUid).id();
          Instant now = clock.instant();
          String id = ids.next();
          Source s =
              new Source(
                  id,
                  orgId,
                  appId,
                  in.uid(),
                  in.name(),
                  in.disabled(),
                  in.verifier(),
                  in.eventType(),
                  in.dedupe(),
                  in.response(),
                  in.failureStatus(),
                  in.rateLimit(),
                  id,
                  null,
                  null,
                  now,
                  now);
          sources.insert(sql, s);
          return s;
        });
  }

  public Source get(String orgId, String appIdOrUid, String idOrUid) {
    return db.read(sql -> find(sql, orgId, appIdOrUid, idOrUid));
  }

  public Page<Source> list(String orgId, String appIdOrUid, PageRequest page) {
    return db.read(sql -> sources.list(sql, orgId, apps.find(sql, orgId, appIdOrUid).id(), page));
  }

  /** Applies {@code change} to the current settings and saves the result. */
  public Source update(
      String orgId, String appIdOrUid, String idOrUid, UnaryOperator<Source.Settings> change) {
    return db.write(
        sql -> {
          Source current = find(sql, orgId, appIdOrUid, idOrUid);
          Source next = current.with(change.apply(current.settings()), clock.instant());
          sources.update(sql, next);
          return next;
        });
  }

  public void delete(String orgId, String appIdOrUid, String idOrUid) {
    db.writeVoid(
        sql -> {
          Source s = find(sql, orgId, appIdOrUid, idOrUid);
          sources.softDelete(sql, orgId, s.id(), clock.instant());
        });
  }

  /**
   * Adds a secret as the newest; beyond {@link VerifierConfig#MAX_SECRETS} the oldest goes. The
   * secret must pass the verifier's rules (checked by the caller).
   */
  public Source addSecret(String orgId, String appIdOrUid, String idOrUid, String secret) {
    return update(
        orgId,
        appIdOrUid,
        idOrUid,
        s -> {
          List<String> secrets = new ArrayList<>(s.verifier().secrets());
          secrets.remove(secret);
          secrets.add(secret);
          while (secrets.size() > VerifierConfig.MAX_SECRETS) {
            secrets.remove(0);
          }
          return new Source.Settings(
              s.uid(),
              s.name(),
              s.disabled(),
              s.verifier().withSecrets(secrets),
              s.eventType(),
              s.dedupe(),
              s.response(),
              s.failureStatus(),
              s.rateLimit());
        });
  }

  /** A new ingest URL; the current one keeps working for {@link #OLD_INGEST_URL_VALID}. */
  public Source rotateToken(String orgId, String appIdOrUid, String idOrUid) {
    return db.write(
        sql -> {
          Source current = find(sql, orgId, appIdOrUid, idOrUid);
          Instant now = clock.instant();
          Source next = current.withIngestId(ids.next(), now.plus(OLD_INGEST_URL_VALID), now);
          sources.update(sql, next);
          return next;
        });
  }

  public Page<RequestRecord> requests(
      String orgId, String appIdOrUid, String idOrUid, String status, PageRequest page) {
    return db.read(
        sql -> {
          Source s = find(sql, orgId, appIdOrUid, idOrUid);
          return inbound.listRequests(sql, orgId, s.id(), status, page);
        });
  }

  /** The dry run: what the source would make of a request, without writing anything. */
  public DryRun verify(String orgId, String appIdOrUid, String idOrUid, InboundRequest r) {
    Source s = get(orgId, appIdOrUid, idOrUid);
    DryRun result = DryRun.of(s, r);
    if (result.valid() && result.dedupeKey() != null) {
      boolean seen =
          db.read(
              sql ->
                  inbound.keyRecorded(
                      sql, s.id(), Derived.hash(result.fullKey()), clock.instant()));
      return result.withDuplicate(seen);
    }
    return result;
  }

  private Source find(Sql sql, String orgId, String appIdOrUid, String idOrUid) {
    String appId = apps.find(sql, orgId, appIdOrUid).id();
    return sources
        .find(sql, orgId, appId, idOrUid)
        .orElseThrow(() -> new NotFound("source " + idOrUid + " not found"));
  }
}
