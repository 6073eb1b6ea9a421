package dev.herald.auth;

import dev.herald.error.Conflict;
import dev.herald.error.NotFound;
import dev.herald.error.Unauthorized;
import dev.herald.eventtype.FeatureFlags;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.Database;
import dev.herald.store.PortalSessionStore;
import dev.herald.store.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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
  private final PortalSessionStore portalSessions = new PortalSessionStore();
  private final KeyUse keyUse;
  private final KeyCache keys;

  public AuthService(Database db, ApiKeyStore store, Ids ids, InstantSource clock) {
    this.db = db;
    this.store = store;
    this.ids = ids;
    this.clock = clock;
    this.keyUse = new KeyUse(db, store, clock);
    this.keys = new KeyCache(clock);
  }

  /** Resolves a bearer token to its principal, or throws 401. */
  public Principal authenticate(String token) {
    if (token == null || token.isBlank()) {
      throw new Unauthorized("missing or malformed Authorization header: use 'Bearer <key>'");
    }
    String hash = ApiKeyHash.hash(token);
    var key =
        findByHash(hash)
            .filter(k -> ApiKeyHash.matches(token, k.keyHash()))
            .orElseThrow(() -> new Unauthorized("invalid API key"));
    if (key.expiresAt() != null && key.expiresAt() <= clock.millis()) {
      throw new Unauthorized("the token has expired");
    }
    keyUse.used(key.id());
    return principal(key);
  }

  private Optional<ApiKeyStore.StoredKey> findByHash(String hash) {
    return keys.find(hash, () -> db.read(sql -> store.findByHash(sql, hash)));
  }

  /** Records a use of the key outside the API (signing in to the dashboard). */
  void used(String keyId) {
    keyUse.used(keyId);
  }

  static Principal principal(ApiKeyStore.StoredKey key) {
    Set<Capability> capabilities =
        key.capabilities() == null
            ? Capability.all()
            : key.capabilities().stream()
                .map(
                    name ->
                        Capability.fromWireName(name)
                            .orElseThrow(
                                () ->
                                    new IllegalStateException(
                                        "api key "
                                            + key.id()
                                            + " holds unknown capability "
                                            + name)))
                .collect(Collectors.toUnmodifiableSet());
    FeatureFlags flags =
        key.featureFlags() == null ? FeatureFlags.ALL : FeatureFlags.only(key.featureFlags());
    Instant expiresAt = key.expiresAt() == null ? null : Instant.ofEpochMilli(key.expiresAt());
    return new Principal(key.orgId(), key.appId(), capabilities, flags, key.sessionId(), expiresAt);
  }

  /**
   * On an empty database: creates the default org and its admin key. Returns the key when it was
   * generated here (to be printed once), empty when there was nothing to do or the configured
   * bootstrap key was used.
   */
  public Optional<String> bootstrap(String configuredKey) {
    return db.write(
        sql -> {
          sql.dialect().lockForSetup(sql);
          if (store.countOrgs(sql) > 0) {
            if (configuredKey != null
                && store.findByHash(sql, ApiKeyHash.hash(configuredKey)).isEmpty()) {
              String orgId = store.firstOrgId(sql).orElseThrow();
              store.insertKey(
                  sql,
                  ids.next(IdPrefix.API_KEY),
                  orgId,
                  null,
                  ApiKeyHash.hash(configuredKey),
                  "bootstrap",
                  clock.instant(),
                  null);
              log.info("added HERALD_BOOTSTRAP_API_KEY as an admin key of org {}", orgId);
            }
            return Optional.<String>empty();
          }
          String orgId = ids.next(IdPrefix.ORG);
          store.insertOrg(sql, orgId, "default", clock.instant());
          String key = configuredKey != null ? configuredKey : ApiKeyHash.newKey(ORG_KEY_PREFIX);
          store.insertKey(
              sql,
              ids.next(IdPrefix.API_KEY),
              orgId,
              null,
              ApiKeyHash.hash(key),
              "admin",
              clock.instant(),
              null);
          return configuredKey != null ? Optional.<String>empty() : Optional.of(key);
        });
  }

  /** Creates a new org with its own admin key; returns the key (shown once). */
  public OrgKey createOrg(String name) {
    return db.write(
        sql -> {
          String orgId = ids.next(IdPrefix.ORG);
          store.insertOrg(sql, orgId, name, clock.instant());
          String key = ApiKeyHash.newKey(ORG_KEY_PREFIX);
          store.insertKey(
              sql,
              ids.next(IdPrefix.API_KEY),
              orgId,
              null,
              ApiKeyHash.hash(key),
              "admin",
              clock.instant(),
              null);
          return new OrgKey(orgId, key);
        });
  }

  /** An org and the admin key that manages it. */
  public record OrgKey(String orgId, String key) {}

  /**
   * Issues a token confined to one application, with the capabilities and feature flags given,
   * valid for {@code ttl}.
   */
  public String issuePortalToken(String orgId, String appId, PortalGrant grant) {
    String token = PORTAL_TOKEN_PREFIX + ApiKeyHash.newKey("");
    db.writeVoid(sql -> insertPortalToken(sql, orgId, appId, grant, token));
    return token;
  }

  /**
   * A portal token as {@link #issuePortalToken} makes it, and with it a single-use link code that a
   * browser exchanges for a portal session carrying the token's rights. Both or neither are stored.
   */
  public PortalAccess issuePortalAccess(String orgId, String appId, PortalGrant grant) {
    String token = PORTAL_TOKEN_PREFIX + ApiKeyHash.newKey("");
    String linkCode = PortalSessions.newLinkCode();
    db.writeVoid(
        sql -> {
          String keyId = insertPortalToken(sql, orgId, appId, grant, token);
          portalSessions.insertLink(sql, ApiKeyHash.hash(linkCode), keyId, clock.instant());
        });
    return new PortalAccess(token, linkCode);
  }

  /** A portal token and the single-use code of the link that opens a portal session with it. */
  public record PortalAccess(String token, String linkCode) {}

  private String insertPortalToken(
      Sql sql, String orgId, String appId, PortalGrant grant, String token) {
    Instant now = clock.instant();
    var stored =
        new ApiKeyStore.PortalGrant(
            grant.capabilities().stream().sorted().map(Capability::wireName).toList(),
            grant.featureFlags(),
            grant.sessionId(),
            now.plus(grant.ttl()));
    String keyId = ids.next(IdPrefix.API_KEY);
    store.insertPortalToken(sql, keyId, orgId, appId, ApiKeyHash.hash(token), now, stored);
    return keyId;
  }

  /**
   * Svix's expire-all: the application's portal tokens (only those of {@code sessionIds} when it is
   * not empty) stop working {@code delay} from now; tokens that expire sooner keep their expiry.
   */
  public void expireAppTokens(String orgId, String appId, Duration delay, List<String> sessionIds) {
    Instant end = clock.instant().plus(delay);
    int cut = db.write(sql -> store.expireAppTokens(sql, orgId, appId, end, sessionIds));
    keys.forgetAll();
    log.info(
        "expire-all: {} portal token(s) of application {} end at {}{}",
        cut,
        appId,
        end,
        sessionIds.isEmpty() ? "" : " (sessions " + sessionIds + ")");
  }

  /** Revokes the presented token (Svix's logout). */
  public void revoke(String token) {
    db.writeVoid(sql -> store.deleteKey(sql, ApiKeyHash.hash(token)));
    keys.forgetAll();
  }

  /** A new org key, its secret shown only in this answer. */
  public record NewKey(String id, String name, Instant createdAt, String key) {}

  /** Creates an org key; only its hash is kept. */
  public NewKey createOrgKey(String orgId, String name) {
    String key = ApiKeyHash.newKey(ORG_KEY_PREFIX);
    String id = ids.next(IdPrefix.API_KEY);
    Instant now = clock.instant();
    db.writeVoid(
        sql -> store.insertKey(sql, id, orgId, null, ApiKeyHash.hash(key), name, now, null));
    log.info("api key {} ({}) created in org {}", id, name, orgId);
    return new NewKey(id, name, now, key);
  }

  /** The org's keys (app-portal tokens are not listed), without their secrets. */
  public List<ApiKeyStore.OrgKeyRow> listOrgKeys(String orgId) {
    return db.read(sql -> store.listOrgKeys(sql, orgId));
  }

  /**
   * Revokes an org key, and with it the dashboard sessions opened with it. {@code ownKeyId} is the
   * key making the request: revoking it is refused, so nobody locks themselves out by mistake.
   */
  public void revokeOrgKey(String orgId, String keyId, String ownKeyId) {
    if (keyId.equals(ownKeyId)) {
      throw new Conflict(
          "key_in_use",
          "api key " + keyId + " is the one making this request; revoke it with another key");
    }
    int deleted = db.write(sql -> store.deleteOrgKey(sql, orgId, keyId));
    keys.forgetAll();
    if (deleted == 0) {
      throw new NotFound("api key " + keyId + " not found");
    }
    log.info("api key {} revoked in org {}", keyId, orgId);
  }

  /** The id of the org key presented, or empty when it is not one (for "is this my own key"). */
  public Optional<String> orgKeyId(String token) {
    if (token == null) {
      return Optional.empty();
    }
    return findByHash(ApiKeyHash.hash(token))
        .filter(k -> k.appId() == null)
        .map(ApiKeyStore.StoredKey::id);
  }
}
