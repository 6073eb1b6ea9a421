package dev.herald.auth;

import dev.herald.error.Unauthorized;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Authenticates bearer tokens and issues keys: the bootstrap admin key and app-portal tokens. */
public final class AuthService {
  private static final Logger log = LoggerFactory.getLogger(AuthService.class);
  public static final String ORG_KEY_PREFIX = "hk_";
  public static final String PORTAL_TOKEN_PREFIX = "hpt_";

  private final Database db;
  private final ApiKeyStore store;
  private final Ids ids;
  private final InstantSource clock;

  public AuthService(Database db, ApiKeyStore store, Ids ids, InstantSource clock) {
    this.db = db;
    this.store = store;
    this.ids = ids;
    this.clock = clock;
  }

  /** Resolves a bearer token to its principal, or throws 401. */
  public Principal authenticate(String token) {
    if (token == null || token.isBlank()) {
      throw new Unauthorized("missing or malformed Authorization header: use 'Bearer <key>'");
    }
    String hash = ApiKeyHash.hash(token);
    var key = db.read(sql -> store.findByHash(sql, hash))
        .filter(k -> ApiKeyHash.matches(token, k.keyHash()))
        .orElseThrow(() -> new Unauthorized("invalid API key"));
    if (key.expiresAt() != null && key.expiresAt() <= clock.millis()) {
      throw new Unauthorized("the token has expired");
    }
    return new Principal(key.orgId(), key.appId());
  }

  /**
   * On an empty database: creates the default org and its admin key. Returns the key when it was
   * generated here (to be printed once), empty when there was nothing to do or the configured
   * bootstrap key was used.
   */
  public Optional<String> bootstrap(String configuredKey) {
    return db.write(sql -> {
      sql.dialect().lockForSetup(sql);
      if (store.countOrgs(sql) > 0) {
        if (configuredKey != null && store.findByHash(sql, ApiKeyHash.hash(configuredKey)).isEmpty()) {
          String orgId = store.firstOrgId(sql).orElseThrow();
          store.insertKey(sql, ids.next(IdPrefix.API_KEY), orgId, null, ApiKeyHash.hash(configuredKey),
              "bootstrap", clock.instant(), null);
          log.info("added HERALD_BOOTSTRAP_API_KEY as an admin key of org {}", orgId);
        }
        return Optional.<String>empty();
      }
      String orgId = ids.next(IdPrefix.ORG);
      store.insertOrg(sql, orgId, "default", clock.instant());
      String key = configuredKey != null ? configuredKey : ApiKeyHash.newKey(ORG_KEY_PREFIX);
      store.insertKey(sql, ids.next(IdPrefix.API_KEY), orgId, null, ApiKeyHash.hash(key), "admin",
          clock.instant(), null);
      return configuredKey != null ? Optional.<String>empty() : Optional.of(key);
    });
  }

  /** Creates a new org with its own admin key; returns the key (shown once). */
  public OrgKey createOrg(String name) {
    return db.write(sql -> {
      String orgId = ids.next(IdPrefix.ORG);
      store.insertOrg(sql, orgId, name, clock.instant());
      String key = ApiKeyHash.newKey(ORG_KEY_PREFIX);
      store.insertKey(sql, ids.next(IdPrefix.API_KEY), orgId, null, ApiKeyHash.hash(key), "admin",
          clock.instant(), null);
      return new OrgKey(orgId, key);
    });
  }

  /** An org and the admin key that manages it. */
  public record OrgKey(String orgId, String key) {}

  /** Issues a token confined to one application, valid for {@code ttl}. */
  public String issuePortalToken(String orgId, String appId, Duration ttl) {
    String token = PORTAL_TOKEN_PREFIX + ApiKeyHash.newKey("");
    Instant now = clock.instant();
    db.writeVoid(sql -> store.insertKey(sql, ids.next(IdPrefix.API_KEY), orgId, appId,
        ApiKeyHash.hash(token), "app-portal", now, now.plus(ttl)));
    return token;
  }

  /** Revokes the presented token (Svix's logout). */
  public void revoke(String token) {
    db.writeVoid(sql -> store.deleteKey(sql, ApiKeyHash.hash(token)));
  }
}
