package dev.herald.auth;

import dev.herald.store.ApiKeyStore;
import dev.herald.store.DashboardSessionStore;
import dev.herald.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Signs operators in to the dashboard with an org API key and resolves the session cookie to that
 * key's rights. Sessions are rows (only the secret's hash), so any node of a cluster accepts them.
 */
public final class DashboardSessions {
  /** A session ends this long after sign-in, whatever is done with it. */
  public static final Duration LIFETIME = Duration.ofHours(12);

  private static final String SESSION_PREFIX = "hds_";

  /** What signing in came to. */
  public sealed interface SignIn permits SignedIn, Refused {}

  /** {@code secret} goes in the cookie, which should last until {@code expiresAt}. */
  public record SignedIn(String secret, Instant expiresAt, String keyId) implements SignIn {}

  /** The key is unknown, expired, or an app-portal token (which may not open the dashboard). */
  public record Refused(String reason) implements SignIn {}

  private final Database db;
  private final AuthService auth;
  private final ApiKeyStore keys = new ApiKeyStore();
  private final DashboardSessionStore store = new DashboardSessionStore();
  private final InstantSource clock;

  public DashboardSessions(Database db, AuthService auth, InstantSource clock) {
    this.db = db;
    this.auth = auth;
    this.clock = clock;
  }

  public SignIn signIn(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      return new Refused("Enter an API key.");
    }
    String key = apiKey.strip();
    Instant now = clock.instant();
    SignIn result =
        db.write(
            sql -> {
              var stored =
                  keys.findByHash(sql, ApiKeyHash.hash(key))
                      .filter(k -> ApiKeyHash.matches(key, k.keyHash()));
              if (stored.isEmpty() || expired(stored.get(), now.toEpochMilli())) {
                return new Refused("This API key is not valid.");
              }
              if (stored.get().appId() != null) {
                return new Refused(
                    "This is an application portal token. The dashboard needs an organisation API"
                        + " key.");
              }
              store.deleteExpired(sql, now.minus(Duration.ofDays(1)));
              String secret = ApiKeyHash.newKey(SESSION_PREFIX);
              Instant expiresAt = now.plus(LIFETIME);
              store.insert(
                  sql,
                  ApiKeyHash.hash(secret),
                  stored.get().id(),
                  ApiKeyHash.newKey(""),
                  now,
                  expiresAt);
              return new SignedIn(secret, expiresAt, stored.get().id());
            });
    if (result instanceof SignedIn in) {
      auth.used(in.keyId());
    }
    return result;
  }

  /** The session the cookie names while it is open, unexpired, and its key still exists. */
  public Optional<DashboardSession> find(String secret) {
    if (secret == null || !secret.startsWith(SESSION_PREFIX)) {
      return Optional.empty();
    }
    long now = clock.millis();
    return db.read(sql -> store.findOpen(sql, ApiKeyHash.hash(secret)))
        .filter(s -> s.expiresAt() > now && !expired(s.key(), now) && s.key().appId() == null)
        .map(
            s -> new DashboardSession(s.key().id(), AuthService.principal(s.key()), s.csrfToken()));
  }

  public void end(String secret) {
    if (secret != null) {
      db.writeVoid(sql -> store.end(sql, ApiKeyHash.hash(secret), clock.instant()));
    }
  }

  private static boolean expired(ApiKeyStore.StoredKey key, long now) {
    return key.expiresAt() != null && key.expiresAt() <= now;
  }
}
