package dev.herald.api;

import dev.herald.auth.Principal;
import dev.herald.error.Conflict;
import dev.herald.store.Database;
import dev.herald.store.IdempotencyStore;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Honours the {@code idempotency-key} header on every POST. The first request with a key claims it
 * in the database (a unique row, so concurrent duplicates on any node see the claim), runs, and
 * stores its response if it is a success; later requests with the same key get that stored
 * response, waiting while the first is still running. Any other answer releases the key, so the
 * caller may retry. A request under a used key must be the same request ({@link
 * RequestFingerprint}), or 409.
 */
final class Idempotency {
  static final Duration KEEP_FOR = Duration.ofHours(24);
  private static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(30);
  private static final int MAX_KEY_LENGTH = 256;

  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  private final Database db;
  private final IdempotencyStore store;
  private final InstantSource clock;

  Idempotency(Database db, IdempotencyStore store, InstantSource clock) {
    this.db = db;
    this.store = store;
    this.clock = clock;
  }

  void run(Context ctx, Principal principal, Action action) throws Exception {
    run(ctx, principal, action, false);
  }

  /**
   * For a route whose single write transaction records the key together with its answer (message
   * create): there is no separate claim, so a crash at any moment leaves either the message and its
   * answered key, or neither, and the client's retry always gets a real answer. The route takes the
   * key with {@link #inTransaction(Context)} and calls {@link InTransaction#record} inside its
   * transaction; a concurrent request that got the key first makes it throw {@link KeyTaken}, which
   * rolls the route's work back and ends here in a replay.
   */
  void runAnsweringInTransaction(Context ctx, Principal principal, Action action) throws Exception {
    run(ctx, principal, action, true);
  }

  private void run(Context ctx, Principal principal, Action action, boolean answerInside)
      throws Exception {
    String key = ctx.header("idempotency-key");
    if (key == null || key.isBlank()) {
      action.run();
      return;
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new dev.herald.error.BadRequest(
          "invalid_idempotency_key",
          "idempotency-key must be at most " + MAX_KEY_LENGTH + " characters");
    }
    String scopedKey = (principal.appId() == null ? "" : principal.appId() + ":") + key;
    String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
    String method = String.valueOf(ctx.method());
    String requestHash = RequestFingerprint.of(method, ctx.path() + query, ctx.bodyAsBytes());
    long deadline = clock.millis() + WAIT_FOR_FIRST.toMillis();
    while (true) {
      var now = clock.instant();
      if (answerInside) {
        // A stale row under the key (expired, or kept by an earlier version) is released by
        // record() in the accepting transaction, not in a write of its own before it.
        ctx.attribute(
            IN_TRANSACTION, new InTransaction(principal.orgId(), scopedKey, requestHash, now));
        try {
          action.run();
          return;
        } catch (KeyTaken e) {
          // Another request has the key: replay its answer, or wait for it, below.
        } finally {
          ctx.attribute(IN_TRANSACTION, null);
        }
      } else {
        boolean claimed =
            db.write(
                sql -> {
                  releaseStale(sql, principal.orgId(), scopedKey, now);
                  return store.tryClaim(
                      sql, principal.orgId(), scopedKey, requestHash, now, now.plus(KEEP_FOR));
                });
        if (claimed) {
          runAndStore(ctx, principal.orgId(), scopedKey, action);
          return;
        }
      }
      Optional<IdempotencyStore.Entry> entry =
          db.read(sql -> store.find(sql, principal.orgId(), scopedKey));
      if (entry.isPresent()
          && entry.get().statusCode() != null
          && !storedByOlderVersion(entry.get())) {
        String stored = entry.get().requestHash();
        boolean sameRequest =
            stored.equals(requestHash)
                || stored.equals(
                    RequestFingerprint.ofBytes(method, ctx.path() + query, ctx.bodyAsBytes()));
        if (!sameRequest) {
          throw new Conflict(
              "idempotency_conflict",
              "idempotency-key " + key + " was already used with a different request");
        }
        ctx.header("idempotent-replayed", "true");
        byte[] body = entry.get().response() == null ? new byte[0] : entry.get().response();
        Responses.raw(ctx, entry.get().statusCode(), body);
        return;
      }
      if (clock.millis() > deadline) {
        throw new Conflict(
            "idempotency_in_progress",
            "a request with idempotency-key " + key + " is still being processed");
      }
      Thread.sleep(20);
    }
  }

  /** Releases the key's row when it expired or holds an answer an earlier version kept. */
  private boolean releaseStale(
      dev.herald.store.Sql sql, String orgId, String key, java.time.Instant now) {
    return store
        .find(sql, orgId, key)
        .filter(e -> e.expiresAt() < now.toEpochMilli() || storedByOlderVersion(e))
        .map(
            e -> {
              store.release(sql, orgId, key);
              return true;
            })
        .orElse(false);
  }

  /** The key of a request answering in its own transaction; null when the request carries none. */
  static InTransaction inTransaction(Context ctx) {
    return ctx.attribute(IN_TRANSACTION);
  }

  private static final String IN_TRANSACTION = "herald.idempotency.inTransaction";

  /**
   * Thrown inside the route's transaction when another request has the key: rolls the work back.
   */
  static final class KeyTaken extends RuntimeException {
    KeyTaken() {
      super("the idempotency key is taken by another request", null, false, false);
    }
  }

  /** A key to record, with the answer, in the transaction that writes what the answer describes. */
  final class InTransaction {
    private final String orgId;
    private final String key;
    private final String requestHash;
    private final java.time.Instant now;

    private InTransaction(String orgId, String key, String requestHash, java.time.Instant now) {
      this.orgId = orgId;
      this.key = key;
      this.requestHash = requestHash;
      this.now = now;
    }

    /**
     * Records the key and its (successful) answer; throws {@link KeyTaken} when another request has
     * it.
     */
    void record(dev.herald.store.Sql sql, int status, byte[] body) {
      // One statement for a fresh key; only when the key is held is the holder looked at.
      if (!store.insertAnswered(sql, orgId, key, requestHash, status, body, now, now.plus(KEEP_FOR))
          && !(releaseStale(sql, orgId, key, now)
              && store.insertAnswered(
                  sql, orgId, key, requestHash, status, body, now, now.plus(KEEP_FOR)))) {
        throw new KeyTaken();
      }
    }
  }

  private void runAndStore(Context ctx, String orgId, String key, Action action) throws Exception {
    try {
      action.run();
    } catch (Exception | Error e) {
      db.writeVoid(sql -> store.release(sql, orgId, key));
      throw e;
    }
    int status = ctx.statusCode();
    // As in Svix, only a success is the answer for good: after a 404 (the application did not exist
    // yet), a 422 or a 409 the client may fix the cause or the body and retry under the same key.
    if (succeeded(status)) {
      byte[] body = ctx.attribute(Responses.BODY_ATTRIBUTE);
      db.writeVoid(
          sql -> store.complete(sql, orgId, key, status, body == null ? new byte[0] : body));
    } else {
      db.writeVoid(sql -> store.release(sql, orgId, key));
    }
  }

  /** Earlier versions kept 4xx answers too; such a row holds nothing now and is released. */
  private static boolean storedByOlderVersion(IdempotencyStore.Entry e) {
    return e.statusCode() != null && !succeeded(e.statusCode());
  }

  private static boolean succeeded(int status) {
    return status >= 200 && status < 300;
  }
}
