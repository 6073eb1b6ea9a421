package dev.herald.eventtype;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import dev.herald.error.ValidationFailed;
import dev.herald.json.Json;
import dev.herald.store.Database;
import dev.herald.store.EventTypeStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks message payloads against their event type's JSON Schema (draft 7, Svix's {@code schemas:
 * {"1": {...}}}, newest version) when validation is on for every event type ({@code
 * HERALD_VALIDATE_PAYLOADS}) or the event type asks for it ({@code validatePayloads}).
 *
 * <p>Event types are read through a cache of compiled schemas keyed by (org, name): an entry is
 * trusted for {@link #RECHECK_AFTER}, then re-read, and recompiled only when the event type's
 * {@code updated_at} moved. Writes through this node forget the entry at once; another node's write
 * is seen within {@code RECHECK_AFTER}.
 */
public final class PayloadSchemas {
  /** How long a cached event type is used before it is read again. */
  public static final Duration RECHECK_AFTER = Duration.ofSeconds(1);

  /** At most this many event types are cached; the cache is emptied when it is full. */
  static final int CACHE_LIMIT = 10_000;

  /** What the cache knows of one event type; {@code schema} null means "do not validate". */
  private record Entry(Instant checkedAt, Instant updatedAt, Schema schema) {}

  private final Database db;
  private final EventTypeStore store;
  private final InstantSource clock;
  private final boolean validateAll;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public PayloadSchemas(
      Database db, EventTypeStore store, InstantSource clock, boolean validateAll) {
    this.db = db;
    this.store = store;
    this.clock = clock;
    this.validateAll = validateAll;
  }

  /**
   * Throws a 422 naming each failing path and rule when the payload breaks its event type's schema.
   */
  public void check(String orgId, String eventType, byte[] payload) {
    Schema schema = schemaFor(orgId, eventType);
    if (schema == null) {
      return;
    }
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(payload);
    } catch (IOException e) {
      throw ValidationFailed.of(
          "payload",
          "the payload is not JSON, so it cannot be validated against the"
              + " schema of event type "
              + eventType,
          "value_error.schema.not_json");
    }
    List<ValidationFailed.Item> problems = JsonSchemas.problems(eventType, schema, tree);
    if (!problems.isEmpty()) {
      throw new ValidationFailed(problems);
    }
  }

  /** Forgets an event type after a write through this node, so the next message sees the change. */
  public void forget(String orgId, String eventType) {
    cache.remove(key(orgId, eventType));
  }

  private Schema schemaFor(String orgId, String eventType) {
    String key = key(orgId, eventType);
    Instant now = clock.instant();
    Entry cached = cache.get(key);
    if (cached != null && now.isBefore(cached.checkedAt().plus(RECHECK_AFTER))) {
      return cached.schema();
    }
    EventType type = db.read(sql -> store.find(sql, orgId, eventType)).orElse(null);
    boolean validated = type != null && (validateAll || type.validatePayloads());
    JsonNode schema = validated ? JsonSchemas.newest(type.schemas()) : null;
    Entry fresh;
    if (schema == null) {
      fresh = new Entry(now, null, null);
    } else if (cached != null && type.updatedAt().equals(cached.updatedAt())) {
      fresh = new Entry(now, cached.updatedAt(), cached.schema());
    } else {
      fresh = new Entry(now, type.updatedAt(), compile(eventType, schema));
    }
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(key, fresh);
    return fresh.schema();
  }

  private static Schema compile(String eventType, JsonNode schema) {
    try {
      return JsonSchemas.compile(schema);
    } catch (RuntimeException e) {
      throw ValidationFailed.of(
          "payload",
          "the schema of event type "
              + eventType
              + " cannot be compiled, so payloads cannot be validated: "
              + e.getMessage(),
          "value_error.schema.invalid");
    }
  }

  private static String key(String orgId, String eventType) {
    return orgId + "\n" + eventType;
  }
}
