package dev.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The API calls delivery tests make over and over (create an application, an endpoint, send a
 * message, read the attempt log), each asserting the status it expects so a test reads as its
 * scenario. Everything goes through real HTTP via {@link Api}.
 */
public final class Webhooks {
  private final Api api;

  public Webhooks(Api api) {
    this.api = api;
  }

  public Api api() {
    return api;
  }

  private static Api.Response expect(Api.Response r, int status, String what) {
    if (r.status() != status) {
      throw new AssertionError(what + ": expected " + status + " but got " + r);
    }
    return r;
  }

  /** A new application; returns its id. */
  public String createApp() {
    return expect(
            api.post("/api/v1/app", Map.of("name", "app-" + UUID.randomUUID())), 201, "create app")
        .field("id");
  }

  /** A new event type with a unique name; returns the name. */
  public String createEventType(String prefix) {
    String name = prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    expect(
        api.post("/api/v1/event-type", Map.of("name", name, "description", "test")),
        201,
        "create event type");
    return name;
  }

  /**
   * A new endpoint at {@code url} with extra fields (eventTypes, channels, throttleRate,
   * disabled…).
   */
  public JsonNode createEndpoint(String appId, String url, Map<String, Object> fields) {
    Map<String, Object> body = new LinkedHashMap<>(fields);
    body.put("url", url);
    return expect(api.post("/api/v1/app/" + appId + "/endpoint", body), 201, "create endpoint")
        .body();
  }

  /** A new endpoint without filters; returns its id. */
  public String createEndpoint(String appId, String url) {
    return createEndpoint(appId, url, Map.of()).path("id").asText();
  }

  public JsonNode endpoint(String appId, String endpointId) {
    return expect(api.get(endpointPath(appId, endpointId)), 200, "get endpoint").body();
  }

  public String secret(String appId, String endpointId) {
    return expect(api.get(endpointPath(appId, endpointId) + "/secret"), 200, "get secret")
        .field("key");
  }

  public static String endpointPath(String appId, String endpointId) {
    return "/api/v1/app/" + appId + "/endpoint/" + endpointId;
  }

  /**
   * Sends a message of {@code eventType} with a small payload and the given channels; returns its
   * id.
   */
  public String send(String appId, String eventType, List<String> channels) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("eventType", eventType);
    body.put("payload", Map.of("type", eventType, "n", UUID.randomUUID().toString()));
    if (channels != null) {
      body.put("channels", channels);
    }
    return send(appId, body);
  }

  public String send(String appId, String eventType) {
    return send(appId, eventType, null);
  }

  /** Sends a message body as given; returns its id. */
  public String send(String appId, Map<String, Object> body) {
    return expect(api.post("/api/v1/app/" + appId + "/msg", body), 202, "send message").field("id");
  }

  /**
   * Attempts of a message, oldest first, with an optional query string such as {@code status=2}.
   */
  public List<JsonNode> attemptsOfMessage(String appId, String msgId, String query) {
    return oldestFirst(
        expect(
                api.get(
                    "/api/v1/app/"
                        + appId
                        + "/attempt/msg/"
                        + msgId
                        + "?limit=250"
                        + (query.isEmpty() ? "" : "&" + query)),
                200,
                "list attempts of message")
            .body());
  }

  public List<JsonNode> attemptsOfMessage(String appId, String msgId) {
    return attemptsOfMessage(appId, msgId, "");
  }

  /** Attempts at an endpoint, oldest first, with an optional query string. */
  public List<JsonNode> attemptsOfEndpoint(String appId, String endpointId, String query) {
    return oldestFirst(
        expect(
                api.get(
                    "/api/v1/app/"
                        + appId
                        + "/attempt/endpoint/"
                        + endpointId
                        + "?limit=250"
                        + (query.isEmpty() ? "" : "&" + query)),
                200,
                "list attempts of endpoint")
            .body());
  }

  /** Waits until a message has at least {@code n} attempts; returns them oldest first. */
  public List<JsonNode> awaitAttempts(String appId, String msgId, int n) {
    return Eventually.await(
        n + " attempt(s) of " + msgId,
        () -> attemptsOfMessage(appId, msgId),
        list -> list.size() >= n);
  }

  /** The delivery of a message at an endpoint, as {@code GET /endpoint/{id}/msg} shows it. */
  public JsonNode deliveryAt(String appId, String endpointId, String msgId) {
    JsonNode page =
        expect(
                api.get(endpointPath(appId, endpointId) + "/msg?limit=250"),
                200,
                "list messages of endpoint")
            .body();
    for (JsonNode m : page.path("data")) {
      if (msgId.equals(m.path("id").asText())) {
        return m;
      }
    }
    throw new AssertionError(
        "message " + msgId + " is not listed at endpoint " + endpointId + ": " + page);
  }

  /**
   * Waits until the delivery of a message at an endpoint has the given status (0 success, 2 fail…).
   */
  public JsonNode awaitDeliveryStatus(String appId, String endpointId, String msgId, int status) {
    return Eventually.await(
        "delivery of " + msgId + " at " + endpointId + " to reach status " + status,
        () -> deliveryAt(appId, endpointId, msgId),
        d -> d.path("status").asInt() == status);
  }

  /** Endpoint ids a message fanned out to, from {@code GET /msg/{id}/endpoint}. */
  public List<String> destinations(String appId, String msgId) {
    JsonNode page =
        expect(
                api.get("/api/v1/app/" + appId + "/msg/" + msgId + "/endpoint?limit=250"),
                200,
                "list destinations")
            .body();
    List<String> ids = new ArrayList<>();
    page.path("data").forEach(d -> ids.add(d.path("id").asText()));
    return ids;
  }

  public static Instant instant(JsonNode node) {
    return Instant.parse(node.asText());
  }

  private static List<JsonNode> oldestFirst(JsonNode page) {
    List<JsonNode> out = new ArrayList<>();
    page.path("data").forEach(out::add);
    out.sort(
        Comparator.comparing((JsonNode a) -> instant(a.path("timestamp")))
            .thenComparing(a -> a.path("id").asText()));
    return out;
  }

  /** Milliseconds between two instants, for readable timing assertions. */
  public static long millisBetween(Instant a, Instant b) {
    return Duration.between(a, b).toMillis();
  }
}
