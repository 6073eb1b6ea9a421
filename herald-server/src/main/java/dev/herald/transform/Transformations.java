package dev.herald.transform;

import dev.herald.endpoint.Endpoint;
import dev.herald.endpoint.EndpointService;
import dev.herald.json.BodyReader;
import dev.herald.store.Database;
import dev.herald.store.TransformationStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Endpoint transformations: reading and changing them through the API, trying code ({@code
 * simulate}), and applying an endpoint's transformation to a delivery attempt.
 */
public final class Transformations implements AutoCloseable {
  /** A change made on any node reaches deliveries within this (as for endpoints). */
  static final Duration TTL = Duration.ofSeconds(1);

  private record Cached(Optional<Transformation> transformation, long loadedAtNanos) {}

  private final Database db;
  private final TransformationStore store;
  private final EndpointService endpoints;
  private final InstantSource clock;
  private final Sandbox sandbox;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public Transformations(
      Database db,
      TransformationStore store,
      EndpointService endpoints,
      InstantSource clock,
      Sandbox sandbox) {
    this.db = db;
    this.store = store;
    this.endpoints = endpoints;
    this.clock = clock;
    this.sandbox = sandbox;
  }

  public Sandbox sandbox() {
    return sandbox;
  }

  public Transformation get(String orgId, String appId, String endpointId) {
    return db.read(
        sql -> {
          Endpoint e = endpoints.find(sql, orgId, appId, endpointId);
          return store.find(sql, e.id()).orElse(Transformation.none(e.createdAt()));
        });
  }

  public void patch(String orgId, String appId, String endpointId, BodyReader body) {
    TransformationPatch patch = TransformationPatch.read(body);
    String saved =
        db.write(
            sql -> {
              Endpoint e = endpoints.find(sql, orgId, appId, endpointId);
              Transformation current =
                  store.find(sql, e.id()).orElse(Transformation.none(e.createdAt()));
              store.save(sql, e.id(), patch.applyTo(current, clock.instant()));
              return e.id();
            });
    // This node's deliveries see the change at once; other nodes' within the cache's TTL.
    cache.remove(saved);
  }

  /**
   * Runs {@code code} on a webhook made of the endpoint's URL and headers and the body's event type
   * and payload; nothing is sent or stored. A script that fails is a 422 naming the reason.
   */
  public Transformed simulate(String orgId, String appId, String endpointId, BodyReader body) {
    SimulateIn in = SimulateIn.read(body);
    Endpoint e = endpoints.get(orgId, appId, endpointId);
    Webhook webhook = new Webhook(e.url(), in.eventType(), in.payload());
    try {
      return sandbox.run(null, in.code(), webhook).get();
    } catch (ExecutionException ex) {
      String reason =
          ex.getCause() instanceof ScriptFailed f ? f.getMessage() : String.valueOf(ex.getCause());
      throw dev.herald.error.ValidationFailed.of(
          "code", "the transformation failed: " + reason, "value_error.transformation");
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while simulating a transformation", ex);
    }
  }

  /**
   * The endpoint's transformation if it has one switched on (read at most once per {@link #TTL}).
   */
  public Optional<Transformation> activeFor(String endpointId) {
    long now = System.nanoTime();
    Cached c = cache.get(endpointId);
    if (c == null || now - c.loadedAtNanos() >= TTL.toNanos()) {
      Optional<Transformation> loaded =
          db.read(sql -> store.find(sql, endpointId)).filter(Transformation::active);
      c = new Cached(loaded, now);
      if (cache.size() > 100_000) {
        cache.clear();
      }
      cache.put(endpointId, c);
    }
    return c.transformation();
  }

  /** Runs the endpoint's transformation on a delivery attempt; fails with {@link ScriptFailed}. */
  public CompletableFuture<Transformed> apply(
      String endpointId, Transformation t, String url, String messageId, byte[] payload) {
    String eventType = db.read(sql -> store.eventTypeOf(sql, messageId)).orElse("");
    return sandbox.run(endpointId, t.code(), new Webhook(url, eventType, payload));
  }

  @Override
  public void close() {
    sandbox.close();
  }
}
