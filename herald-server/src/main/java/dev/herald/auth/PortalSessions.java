package dev.herald.auth;

import dev.herald.store.Database;
import dev.herald.store.PortalSessionStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchanges single-use portal links for browser sessions and resolves sessions to the rights of the
 * token they were opened with. Only hashes of link codes and session secrets are stored.
 */
public final class PortalSessions {
  private static final Logger log = LoggerFactory.getLogger(PortalSessions.class);
  private static final String LINK_PREFIX = "hpl_";
  private static final String SESSION_PREFIX = "hps_";

  /** What opening a link came to. */
  public sealed interface Opening permits Opened, AlreadyUsed, Expired, Unknown {}

  /**
   * A new session: {@code secret} goes in the cookie, which should last until {@code expiresAt}.
   */
  public record Opened(String secret, Instant expiresAt) implements Opening {}

  public record AlreadyUsed() implements Opening {}

  /** The link's token has expired (or expire-all ended it) before the link was opened. */
  public record Expired() implements Opening {}

  public record Unknown() implements Opening {}

  private final Database db;
  private final PortalSessionStore store;
  private final InstantSource clock;

  public PortalSessions(Database db, PortalSessionStore store, InstantSource clock) {
    this.db = db;
    this.store = store;
    this.clock = clock;
  }

  static String newLinkCode() {
    return ApiKeyHash.newKey(LINK_PREFIX);
  }

  public Opening open(String linkCode) {
    if (linkCode == null || !linkCode.startsWith(LINK_PREFIX)) {
      return new Unknown();
    }
    String linkHash = ApiKeyHash.hash(linkCode);
    return db.write(
        sql -> {
          var link = store.findLink(sql, linkHash);
          if (link.isEmpty()) {
            return new Unknown();
          }
          if (link.get().opened()) {
            return new AlreadyUsed();
          }
          Long expiresAt = link.get().key().expiresAt();
          Instant now = clock.instant();
          if (expiresAt != null && expiresAt <= now.toEpochMilli()) {
            return new Expired();
          }
          String secret = ApiKeyHash.newKey(SESSION_PREFIX);
          String csrf = ApiKeyHash.newKey("");
          if (store.open(sql, linkHash, ApiKeyHash.hash(secret), csrf, now) != 1) {
            log.debug(
                "a concurrent request opened the portal link of key {}", link.get().key().id());
            return new AlreadyUsed();
          }
          return new Opened(secret, expiresAt == null ? null : Instant.ofEpochMilli(expiresAt));
        });
  }

  /**
   * The session the cookie names, while it is open and its token valid: logout, the token's expiry,
   * expire-all and the token's revocation all end it.
   */
  public Optional<PortalSession> find(String secret) {
    if (secret == null || !secret.startsWith(SESSION_PREFIX)) {
      return Optional.empty();
    }
    long now = clock.millis();
    return db.read(sql -> store.findOpen(sql, ApiKeyHash.hash(secret)))
        .filter(s -> s.key().expiresAt() == null || s.key().expiresAt() > now)
        .map(s -> new PortalSession(AuthService.principal(s.key()), s.csrfToken()));
  }

  public void end(String secret) {
    if (secret != null) {
      db.writeVoid(sql -> store.end(sql, ApiKeyHash.hash(secret), clock.instant()));
    }
  }
}
