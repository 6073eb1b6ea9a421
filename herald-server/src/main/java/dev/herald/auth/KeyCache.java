package dev.herald.auth;

import dev.herald.store.ApiKeyStore.StoredKey;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Keys found by their hash, kept for {@link #TTL} so that a busy client's requests do not each read
 * its key from the database: that read was one of the three statements per accepted message, and on
 * PostgreSQL a round trip and a commit.
 *
 * <p>Only keys that exist are kept; an unknown token is looked up every time. Expiry is still
 * checked on every request against the cached expiry. Every change this node makes to keys
 * (revoking, expire-all) empties the cache once committed, so on one node a revoked key stops
 * working at once; another node of a cluster may accept it for up to {@link #TTL} more.
 */
final class KeyCache {
  static final Duration TTL = Duration.ofSeconds(1);

  /** Beyond this many keys the cache starts over rather than grow with the number of clients. */
  static final int CAPACITY = 10_000;

  private record Entry(StoredKey key, long readAt) {}

  private final InstantSource clock;
  private final Map<String, Entry> byHash = new ConcurrentHashMap<>();

  /** Raised by every change, so a read that started before it cannot put a stale key back. */
  private final AtomicLong generation = new AtomicLong();

  KeyCache(InstantSource clock) {
    this.clock = clock;
  }

  /** The key with this hash, from the cache while it is fresh, else from {@code read}. */
  Optional<StoredKey> find(String hash, Supplier<Optional<StoredKey>> read) {
    long now = clock.millis();
    Entry cached = byHash.get(hash);
    if (cached != null && now - cached.readAt() < TTL.toMillis()) {
      return Optional.of(cached.key());
    }
    long before = generation.get();
    Optional<StoredKey> found = read.get();
    if (found.isEmpty()) {
      byHash.remove(hash);
      return found;
    }
    if (byHash.size() >= CAPACITY) {
      byHash.clear();
    }
    byHash.put(hash, new Entry(found.get(), now));
    if (generation.get() != before) {
      // A change committed while this read ran: the key read may be its old state.
      byHash.remove(hash);
    }
    return found;
  }

  /** After a change to keys has committed: every key is read again on its next use. */
  void forgetAll() {
    generation.incrementAndGet();
    byHash.clear();
  }
}
