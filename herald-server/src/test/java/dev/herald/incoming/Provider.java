package dev.herald.incoming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook provider in tests: posts raw bytes with exactly the headers given (no API key, no added
 * content type) to an ingest URL, and signs as Stripe and GitHub document it.
 */
final class Provider {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  record Answer(int status, String contentType, String body) {}

  private Provider() {}

  static Answer post(String url, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::setHeader);
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          r.statusCode(), r.headers().firstValue("content-type").orElse(null), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Answer post(String url, Map<String, String> headers, String body) {
    return post(url, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  static String hmacHex(String key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stripe's headers for a body signed at {@code t} (epoch seconds). */
  static Map<String, String> stripe(String secret, String body, long t) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json; charset=utf-8");
    h.put("Stripe-Signature", "t=" + t + ",v1=" + hmacHex(secret, t + "." + body));
    return h;
  }

  /** GitHub's headers for a body. */
  static Map<String, String> github(String secret, String body, String event, String delivery) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    h.put("X-GitHub-Event", event);
    h.put("X-GitHub-Delivery", delivery);
    h.put("X-Hub-Signature-256", "sha256=" + hmacHex(secret, body));
    return h;
  }
}
