package dev.herald.application;

import dev.herald.error.Conflict;
import dev.herald.error.NotFound;
import dev.herald.error.ValidationFailed;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.store.ApplicationStore;
import dev.herald.store.Database;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Sql;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/** Application operations; each runs in one transaction, so a failure leaves nothing behind. */
public final class ApplicationService {

  /** The outcome of a create-or-get or upsert: whether a new row was made decides 201 vs 200. */
  public record Saved(Application application, boolean created) {}

  private final Database db;
  private final ApplicationStore store;
  private final Ids ids;
  private final InstantSource clock;

  public ApplicationService(Database db, ApplicationStore store, Ids ids, InstantSource clock) {
    this.db = db;
    this.store = store;
    this.ids = ids;
    this.clock = clock;
  }

  public Saved create(String orgId, ApplicationIn in, boolean getIfExists) {
    return db.write(
        sql -> {
          if (in.uid() != null) {
            var existing = store.find(sql, orgId, in.uid());
            if (existing.isPresent()) {
              if (getIfExists) {
                return new Saved(existing.get(), false);
              }
              throw new Conflict(
                  "conflict", "an application with uid " + in.uid() + " already exists");
            }
          }
          return new Saved(insert(sql, orgId, in), true);
        });
  }

  /**
   * Creates the application inside a caller's transaction (message create with {@code
   * application}).
   */
  public Application insert(Sql sql, String orgId, ApplicationIn in) {
    Instant now = clock.instant();
    Application app =
        new Application(
            ids.next(IdPrefix.APPLICATION),
            orgId,
            in.uid(),
            in.name(),
            in.metadata(),
            in.throttleRate(),
            now,
            now);
    store.insert(sql, app);
    return app;
  }

  /** Returns the application, creating it (uid = {@code idOrUid}) when none exists. */
  public Application upsertIfMissing(String orgId, String idOrUid, ApplicationIn in) {
    return db.write(sql -> findOrInsert(sql, orgId, idOrUid, in));
  }

  /**
   * The application named by the path, created from {@code in} with {@code uid = idOrUid} when none
   * exists (message create and portal access carrying application details). A uid in the body
   * naming another application is refused: creating that one instead would leave the path's
   * application missing and make every retry of the request a conflict.
   */
  public Application findOrInsert(Sql sql, String orgId, String idOrUid, ApplicationIn in) {
    var existing = store.find(sql, orgId, idOrUid);
    boolean sameApp =
        in.uid() == null
            || in.uid().equals(idOrUid)
            || existing.map(a -> in.uid().equals(a.uid()) || in.uid().equals(a.id())).orElse(false);
    if (!sameApp) {
      throw new ValidationFailed(
          List.of(
              new ValidationFailed.Item(
                  List.of("body", "application", "uid"),
                  "the application uid "
                      + in.uid()
                      + " differs from the application in the path ("
                      + idOrUid
                      + ")",
                  "value_error.uid_mismatch")));
    }
    return existing.orElseGet(
        () ->
            insert(
                sql,
                orgId,
                new ApplicationIn(in.name(), idOrUid, in.metadata(), in.throttleRate())));
  }

  /**
   * The org's internal application that holds its operational-webhook endpoints. It is made with
   * the org (and by migration V6 for older orgs), so this only reads; the application API never
   * lists or finds it.
   */
  public Application internalApp(Sql sql, String orgId) {
    return store
        .findInternal(sql, orgId)
        .orElseThrow(
            () -> new IllegalStateException("org " + orgId + " has no internal application"));
  }

  public static String internalAppId(String orgId) {
    return ApplicationStore.internalAppId(orgId);
  }

  public static boolean isInternal(String appId) {
    return appId.startsWith("app_ops_");
  }

  public Application get(String orgId, String idOrUid) {
    return db.read(sql -> find(sql, orgId, idOrUid));
  }

  public java.util.Optional<Application> findOptional(Sql sql, String orgId, String idOrUid) {
    return store.find(sql, orgId, idOrUid);
  }

  /** The org's live applications named (by id or uid) among {@code idOrUids}, in one statement. */
  public java.util.List<Application> findAll(
      Sql sql, String orgId, java.util.Collection<String> idOrUids) {
    return store.findAll(sql, orgId, idOrUids);
  }

  public Application find(Sql sql, String orgId, String idOrUid) {
    return store
        .find(sql, orgId, idOrUid)
        .orElseThrow(() -> new NotFound("application " + idOrUid + " not found"));
  }

  public Page<Application> list(
      String orgId, ApplicationStore.ListFilter filter, PageRequest page) {
    return db.read(sql -> store.list(sql, orgId, filter, page));
  }

  /** PUT: updates the application, or creates it with {@code uid = idOrUid} when none exists. */
  public Saved upsert(String orgId, String idOrUid, ApplicationIn in) {
    return db.write(
        sql -> {
          var existing = store.find(sql, orgId, idOrUid);
          if (existing.isEmpty()) {
            String uid = in.uid() != null ? in.uid() : idOrUid;
            if (store.find(sql, orgId, uid).isPresent()) {
              throw new Conflict("conflict", "an application with uid " + uid + " already exists");
            }
            return new Saved(
                insert(
                    sql,
                    orgId,
                    new ApplicationIn(in.name(), uid, in.metadata(), in.throttleRate())),
                true);
          }
          return new Saved(update(sql, existing.get(), in), false);
        });
  }

  public Application patch(
      String orgId, String idOrUid, java.util.function.Function<Application, ApplicationIn> patch) {
    return db.write(
        sql -> {
          Application current = find(sql, orgId, idOrUid);
          return update(sql, current, patch.apply(current));
        });
  }

  private Application update(Sql sql, Application current, ApplicationIn in) {
    if (in.uid() != null && !in.uid().equals(current.uid())) {
      var clash = store.find(sql, current.orgId(), in.uid());
      if (clash.isPresent() && !clash.get().id().equals(current.id())) {
        throw new Conflict("conflict", "an application with uid " + in.uid() + " already exists");
      }
    }
    Application updated =
        new Application(
            current.id(),
            current.orgId(),
            in.uid(),
            in.name(),
            in.metadata(),
            in.throttleRate(),
            current.createdAt(),
            clock.instant());
    store.update(sql, updated);
    return updated;
  }

  public void delete(String orgId, String idOrUid) {
    db.writeVoid(
        sql -> {
          Application app = find(sql, orgId, idOrUid);
          store.softDelete(sql, orgId, app.id(), clock.instant());
        });
  }
}
