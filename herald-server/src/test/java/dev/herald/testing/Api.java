package dev.herald.testing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.herald.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A small HTTP client for API tests. Each instance calls one server with one bearer key (or none).
 * Request bodies: a {@code String} or {@code byte[]} is sent as is (to test malformed input), any
 * other object is written as JSON, explicit nulls included (PATCH tells null from absent).
 */
public final class Api {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Herald's mapper omits nulls; a test that puts a null in a body means to send it. */
  private static final ObjectMapper WRITER =
      Json.MAPPER.copy().setSerializationInclusion(JsonInclude.Include.ALWAYS);

  private final String baseUrl;
  private final String bearerKey;

  public Api(String baseUrl, String bearerKey) {
    this.baseUrl = baseUrl;
    this.bearerKey = bearerKey;
  }

  /** A status, headers and body; the body parsed as JSON when it is JSON, else a missing node. */
  public record Response(int status, HttpHeaders headers, String text, JsonNode body) {

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** Shorthand for a top-level text field of the body, e.g. {@code "id"}. */
    public String field(String name) {
      JsonNode n = body.get(name);
      return n == null || n.isNull() ? null : n.asText();
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  public Response get(String path) {
    return send("GET", path, null, Map.of());
  }

  public Response get(String path, Map<String, String> headers) {
    return send("GET", path, null, headers);
  }

  public Response head(String path) {
    return send("HEAD", path, null, Map.of());
  }

  public Response post(String path, Object body) {
    return send("POST", path, body, Map.of());
  }

  public Response post(String path, Object body, Map<String, String> headers) {
    return send("POST", path, body, headers);
  }

  public Response put(String path, Object body) {
    return send("PUT", path, body, Map.of());
  }

  public Response put(String path, Object body, Map<String, String> headers) {
    return send("PUT", path, body, headers);
  }

  public Response patch(String path, Object body) {
    return send("PATCH", path, body, Map.of());
  }

  public Response patch(String path, Object body, Map<String, String> headers) {
    return send("PATCH", path, body, headers);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, Map.of());
  }

  public Response delete(String path, Map<String, String> headers) {
    return send("DELETE", path, null, headers);
  }

  public Response send(String method, String path, Object body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(TIMEOUT)
            .method(method, publisher(body));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    if (bearerKey != null) {
      request.header("authorization", "Bearer " + bearerKey);
    }
    headers.forEach(request::header);
    try {
      var response = HTTP.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(
          response.statusCode(), response.headers(), response.body(), parse(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + method + " " + path, e);
    }
  }

  private static BodyPublisher publisher(Object body) {
    return switch (body) {
      case null -> BodyPublishers.noBody();
      case String s -> BodyPublishers.ofString(s, StandardCharsets.UTF_8);
      case byte[] bytes -> BodyPublishers.ofByteArray(bytes);
      default -> BodyPublishers.ofByteArray(write(body));
    };
  }

  private static byte[] write(Object body) {
    try {
      return WRITER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + body.getClass() + " as JSON", e);
    }
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isEmpty()) {
      return MissingNode.getInstance();
    }
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return MissingNode.getInstance();
    }
  }
}
