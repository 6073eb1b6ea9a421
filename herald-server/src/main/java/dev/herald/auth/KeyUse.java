package dev.herald.auth;

import dev.herald.store.ApiKeyStore;
import dev.herald.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records when keys are used ({@code api_key.last_used_at}) without a write per request: each node
 * writes a key's use at most once per {@link #INTERVAL}, so "last used" is late by up to that.
 */
final class KeyUse {
  static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(KeyUse.class);

  private final Database db;
  private final ApiKeyStore store;
  private final InstantSource clock;
  private final Map<String, Long> written = new ConcurrentHashMap<>();

  KeyUse(Database db, ApiKeyStore store, InstantSource clock) {
    this.db = db;
    this.store = store;
    this.clock = clock;
  }

  void used(String keyId) {
    long now = clock.millis();
    Long before = written.get(keyId);
    if (before != null && now - before < INTERVAL.toMillis()) {
      return;
    }
    // Only the request that moves the mark writes; concurrent ones of the same key skip.
    boolean mine =
        before == null
            ? written.putIfAbsent(keyId, now) == null
            : written.replace(keyId, before, now);
    if (!mine) {
      return;
    }
    try {
      db.writeVoid(sql -> store.touch(sql, keyId, Instant.ofEpochMilli(now)));
    } catch (RuntimeException e) {
      // Losing a "last used" mark must not fail the request that used the key.
      log.warn("could not record the use of api key {}; the request goes on", keyId, e);
    }
    if (written.size() > 100_000) {
      written.clear();
    }
  }
}
