package dev.herald.delivery;

import dev.herald.endpoint.Endpoint;
import dev.herald.store.Database;
import dev.herald.store.EndpointStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Endpoints as the dispatcher sees them, cached briefly so a burst to one endpoint decrypts its
 * secret once rather than per delivery. A change made on any node is seen within {@link #TTL}.
 */
final class EndpointCache {
  static final Duration TTL = Duration.ofSeconds(1);

  private record Entry(Optional<Endpoint> endpoint, long loadedAtNanos) {}

  private final Database db;
  private final EndpointStore store;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  EndpointCache(Database db, EndpointStore store) {
    this.db = db;
    this.store = store;
  }

  Optional<Endpoint> get(String endpointId) {
    long now = System.nanoTime();
    Entry e = entries.get(endpointId);
    if (e != null && now - e.loadedAtNanos() < TTL.toNanos()) {
      return e.endpoint();
    }
    return reload(endpointId);
  }

  /** The endpoint's URL without decrypting its secrets; empty when even that cannot be read. */
  String urlOf(String endpointId) {
    try {
      return db.read(sql -> store.findUrl(sql, endpointId)).orElse("");
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** Reads the endpoint from the database, bypassing (and refreshing) the cache. */
  Optional<Endpoint> reload(String endpointId) {
    long now = System.nanoTime();
    Optional<Endpoint> loaded = db.read(sql -> store.findForDelivery(sql, endpointId));
    entries.put(endpointId, new Entry(loaded, now));
    if (entries.size() > 100_000) {
      entries.clear();
    }
    return loaded;
  }
}
