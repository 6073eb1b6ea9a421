package dev.herald.endpoint;

import dev.herald.application.Application;
import dev.herald.error.Conflict;
import dev.herald.error.NotFound;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.store.Database;
import dev.herald.store.EndpointStore;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Endpoint operations, one transaction each; the application is resolved by id or uid first. */
public final class EndpointService {

  /** The outcome of an upsert: whether a new row was made decides 201 vs 200. */
  public record Saved(Endpoint endpoint, boolean created) {}

  private final Database db;
  private final EndpointStore store;
  private final EndpointScope scope;
  private final Ids ids;
  private final InstantSource clock;

  public EndpointService(
      Database db, EndpointStore store, EndpointScope scope, Ids ids, InstantSource clock) {
    this.db = db;
    this.store = store;
    this.scope = scope;
    this.ids = ids;
    this.clock = clock;
  }

  public Endpoint create(String orgId, String appIdOrUid, EndpointIn in) {
    return db.write(sql -> insert(sql, scope.application(sql, orgId, appIdOrUid), in, in.uid()));
  }

  private Endpoint insert(Sql sql, Application app, EndpointIn in, String uid) {
    scope.checkEventTypes(sql, app.orgId(), in.eventTypes());
    checkUidFree(sql, app, uid, null);
    Instant now = clock.instant();
    Endpoint e =
        new Endpoint(
            ids.next(IdPrefix.ENDPOINT),
            app.orgId(),
            app.id(),
            uid,
            in.url(),
            in.description(),
            in.disabled(),
            in.eventTypes(),
            in.channels(),
            in.throttleRate(),
            in.metadata(),
            in.secret() != null ? in.secret() : SigningSecret.generate(),
            List.of(),
            in.headers() != null ? in.headers() : Map.of(),
            null,
            now,
            now,
            in.filter(),
            in.ordered());
    store.insert(sql, e);
    scope.changed(sql, "endpoint.created", app, e);
    return e;
  }

  public Endpoint get(String orgId, String appIdOrUid, String endpointIdOrUid) {
    return db.read(sql -> find(sql, orgId, appIdOrUid, endpointIdOrUid));
  }

  public Endpoint find(Sql sql, String orgId, String appIdOrUid, String endpointIdOrUid) {
    Application app = scope.application(sql, orgId, appIdOrUid);
    return store
        .find(sql, orgId, app.id(), endpointIdOrUid)
        .orElseThrow(() -> new NotFound("endpoint " + endpointIdOrUid + " not found"));
  }

  public Page<Endpoint> list(String orgId, String appIdOrUid, PageRequest page) {
    return db.read(
        sql -> store.list(sql, orgId, scope.application(sql, orgId, appIdOrUid).id(), page));
  }

  /**
   * PUT: updates the endpoint, or creates it with {@code uid = endpointIdOrUid} when none exists.
   */
  public Saved upsert(String orgId, String appIdOrUid, String endpointIdOrUid, EndpointIn in) {
    return db.write(
        sql -> {
          Application app = scope.application(sql, orgId, appIdOrUid);
          var existing = store.find(sql, orgId, app.id(), endpointIdOrUid);
          if (existing.isEmpty()) {
            return new Saved(
                insert(sql, app, in, in.uid() != null ? in.uid() : endpointIdOrUid), true);
          }
          return new Saved(update(sql, existing.get(), in), false);
        });
  }

  public Endpoint patch(
      String orgId,
      String appIdOrUid,
      String endpointIdOrUid,
      Function<Endpoint, EndpointIn> patch) {
    return db.write(
        sql -> {
          Endpoint current = find(sql, orgId, appIdOrUid, endpointIdOrUid);
          return update(sql, current, patch.apply(current));
        });
  }

  private Endpoint update(Sql sql, Endpoint current, EndpointIn in) {
    scope.checkEventTypes(sql, current.orgId(), in.eventTypes());
    if (in.uid() != null && !in.uid().equals(current.uid())) {
      checkUidFree(
          sql, scope.application(sql, current.orgId(), current.appId()), in.uid(), current.id());
    }
    // Re-enabling an endpoint starts its failure clock afresh.
    Instant failingSince =
        in.disabled() ? current.failingSince() : current.disabled() ? null : current.failingSince();
    Endpoint e =
        new Endpoint(
            current.id(),
            current.orgId(),
            current.appId(),
            in.uid(),
            in.url(),
            in.description(),
            in.disabled(),
            in.eventTypes(),
            in.channels(),
            in.throttleRate(),
            in.metadata(),
            in.secret() != null ? in.secret() : current.secret(),
            current.oldSecrets(),
            in.headers() != null ? in.headers() : current.headers(),
            failingSince,
            current.createdAt(),
            clock.instant(),
            in.filter(),
            in.ordered());
    store.update(sql, e);
    if (e.ordered() != current.ordered()) {
      store.reorder(sql, e.id(), e.ordered(), e.updatedAt());
    }
    scope.changed(
        sql, "endpoint.updated", scope.application(sql, current.orgId(), current.appId()), e);
    return e;
  }

  public void delete(String orgId, String appIdOrUid, String endpointIdOrUid) {
    db.writeVoid(
        sql -> {
          Endpoint e = find(sql, orgId, appIdOrUid, endpointIdOrUid);
          store.softDelete(sql, orgId, e.id(), clock.instant());
          scope.changed(sql, "endpoint.deleted", scope.application(sql, orgId, appIdOrUid), e);
        });
  }

  /**
   * Replaces the signing secret (with {@code newSecret}, or a generated one). The previous secret
   * keeps signing for {@code gracePeriod}; at most {@link Endpoint#MAX_OLD_SECRETS} are kept.
   */
  public void rotateSecret(
      String orgId,
      String appIdOrUid,
      String endpointIdOrUid,
      SigningSecret newSecret,
      Duration gracePeriod) {
    db.writeVoid(
        sql -> {
          Endpoint e = find(sql, orgId, appIdOrUid, endpointIdOrUid);
          Instant now = clock.instant();
          List<Endpoint.OldSecret> old = new ArrayList<>();
          if (!gracePeriod.isZero()) {
            old.add(new Endpoint.OldSecret(e.secret().text(), now.plus(gracePeriod)));
          }
          e.oldSecrets().stream().filter(o -> o.expiresAt().isAfter(now)).forEach(old::add);
          old.sort(Comparator.comparing(Endpoint.OldSecret::expiresAt).reversed());
          List<Endpoint.OldSecret> kept =
              old.subList(0, Math.min(old.size(), Endpoint.MAX_OLD_SECRETS));
          store.update(
              sql,
              e.withSecrets(newSecret != null ? newSecret : SigningSecret.generate(), kept, now));
        });
  }

  /** Replaces (PUT) or merges (PATCH) the endpoint's custom headers. */
  public void updateHeaders(
      String orgId,
      String appIdOrUid,
      String endpointIdOrUid,
      Function<Map<String, String>, Map<String, String>> change) {
    db.writeVoid(
        sql -> {
          Endpoint e = find(sql, orgId, appIdOrUid, endpointIdOrUid);
          Map<String, String> headers = change.apply(e.headers());
          store.update(sql, e.withHeaders(headers, clock.instant()));
        });
  }

  private void checkUidFree(Sql sql, Application app, String uid, String selfId) {
    if (uid == null) {
      return;
    }
    store
        .find(sql, app.orgId(), app.id(), uid)
        .filter(other -> !other.id().equals(selfId))
        .ifPresent(
            other -> {
              throw new Conflict("conflict", "an endpoint with uid " + uid + " already exists");
            });
  }
}
