package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/** Set-up traffic through Herald's REST API: applications and endpoints. Not timed. */
final class HeraldApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SETUP_CONCURRENCY = 16;

  private final HttpClient client = new HttpClient();
  private final String baseUrl;
  private final String key;

  HeraldApi(String baseUrl, String key) {
    this.baseUrl = baseUrl;
    this.key = key;
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("the set-up HTTP client did not start", e);
    }
  }

  String createApp(String name) {
    return post("/api/v1/app", Map.of("name", name)).get("id").asText();
  }

  String createEndpoint(String appId, String url) {
    return createEndpoint(appId, url, Map.of());
  }

  /** An endpoint with more fields than its URL, e.g. {@code ordered}. */
  String createEndpoint(String appId, String url, Map<String, Object> fields) {
    Map<String, Object> body = new java.util.LinkedHashMap<>(fields);
    body.put("url", url);
    return post("/api/v1/app/" + appId + "/endpoint", body).get("id").asText();
  }

  /**
   * An incoming-webhook source of the application verifying an HMAC-SHA256 (hex) of the body in
   * {@code header} after {@code prefix}; its id (the ingest URL is {@code /in/<id>}).
   */
  String createHmacSource(String appId, String secret, String header, String prefix) {
    Map<String, Object> verifier =
        Map.of("type", "hmac", "secrets", List.of(secret), "header", header, "prefix", prefix);
    return post("/api/v1/app/" + appId + "/source", Map.of("name", "bench", "verifier", verifier))
        .get("id")
        .asText();
  }

  /** Sends one message and returns its id once Herald accepted it. */
  String sendMessage(String appId, byte[] body) {
    return postJson(
            "/api/v1/app/" + appId + "/msg",
            new String(body, java.nio.charset.StandardCharsets.UTF_8))
        .get("id")
        .asText();
  }

  /**
   * The sum of a counter over its labels, read from {@code /metrics} (Prometheus text), e.g.
   * {@code herald_db_statements_total}, or over the series starting with a given label, e.g.
   * {@code herald_db_statements_total{transaction="write"}; -1 when Herald does not publish it.
   */
  double counter(String name) {
    try {
      ContentResponse r =
          client
              .newRequest(baseUrl + "/metrics")
              .timeout(30, TimeUnit.SECONDS)
              .headers(
                  h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + HeraldProcess.METRICS_TOKEN))
              .send();
      if (r.getStatus() != 200) {
        return -1;
      }
      double sum = -1;
      for (String line : r.getContentAsString().split("\n")) {
        if (line.startsWith(name.contains("{") ? name : name + "{")
            || line.startsWith(name + " ")) {
          sum = Math.max(sum, 0) + Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading metrics", e);
    } catch (Exception e) {
      throw new IllegalStateException("GET /metrics failed", e);
    }
  }

  /** Creates {@code count} things in parallel; the result keeps their order. */
  static List<String> inParallel(int count, IntFunction<String> create)
      throws InterruptedException {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Semaphore slots = new Semaphore(SETUP_CONCURRENCY);
      List<Future<String>> futures = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int n = i;
        slots.acquire();
        futures.add(
            pool.submit(
                () -> {
                  try {
                    return create.apply(n);
                  } finally {
                    slots.release();
                  }
                }));
      }
      List<String> out = new ArrayList<>(count);
      for (Future<String> f : futures) {
        try {
          out.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(
              "set-up failed: " + e.getCause().getMessage(), e.getCause());
        }
      }
      return out;
    }
  }

  private JsonNode post(String path, Object body) {
    try {
      return postJson(path, JSON.writeValueAsString(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + body, e);
    }
  }

  private JsonNode postJson(String path, String json) {
    try {
      ContentResponse r =
          client
              .newRequest(baseUrl + path)
              .method(HttpMethod.POST)
              .timeout(30, TimeUnit.SECONDS)
              .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + key))
              .body(new StringRequestContent("application/json", json))
              .send();
      if (r.getStatus() / 100 != 2) {
        throw new IllegalStateException(
            "POST " + path + " answered " + r.getStatus() + ": " + r.getContentAsString());
      }
      return JSON.readTree(r.getContentAsString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during set-up", e);
    } catch (Exception e) {
      throw e instanceof IllegalStateException ise
          ? ise
          : new IllegalStateException("POST " + path + " failed", e);
    }
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      // best effort
    }
  }
}
