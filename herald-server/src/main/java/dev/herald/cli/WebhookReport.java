package dev.herald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.herald.json.Json;
import dev.herald.verify.Webhook;
import dev.herald.verify.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code herald listen} prints for one request: the request line, the signature headers, the
 * body (pretty when it is JSON), whether the signature verified and, when it did not, why in words
 * a developer can act on.
 */
final class WebhookReport {
  private static final List<String> SIGNATURE_HEADERS =
      List.of(Webhook.ID_HEADER, Webhook.TIMESTAMP_HEADER, Webhook.SIGNATURE_HEADER);

  /** The outcome of the signature check. */
  sealed interface Verdict permits NotChecked, Verified, Failed {}

  record NotChecked() implements Verdict {}

  record Verified() implements Verdict {}

  record Failed(String reason) implements Verdict {}

  private WebhookReport() {}

  /**
   * Checks the signature with {@code verifier} (none: not checked). Reads "now" from {@code clock}
   * to say how old a stale timestamp is.
   */
  static Verdict check(
      Webhook verifier, Map<String, String> headers, byte[] body, InstantSource clock) {
    if (verifier == null) {
      return new NotChecked();
    }
    try {
      verifier.verify(body, headers);
      return new Verified();
    } catch (WebhookVerificationException e) {
      return new Failed(explain(e.getMessage(), headers, clock));
    }
  }

  // The verifier's messages are those of the Standard Webhooks reference libraries; each is turned
  // into what went wrong and what usually causes it.
  private static String explain(String message, Map<String, String> headers, InstantSource clock) {
    return switch (message) {
      case "Missing required headers" ->
          "missing headers: "
              + String.join(", ", missing(headers))
              + " (a signed webhook carries webhook-id, webhook-timestamp and webhook-signature)";
      case "Message timestamp too old" ->
          "timestamp too old: sent "
              + age(headers, clock)
              + " ago, more than "
              + Webhook.DEFAULT_TOLERANCE.toMinutes()
              + " minutes (a replay, or a clock off)";
      case "Message timestamp too new" ->
          "timestamp too new: sent " + age(headers, clock) + " in the future (a clock off)";
      case "Invalid Signature Headers" ->
          "malformed webhook-timestamp: "
              + header(headers, Webhook.TIMESTAMP_HEADER)
              + " is not whole seconds since 1970";
      case "No matching signature found" ->
          "bad signature: no signature matches the secret (the body or the"
              + " webhook-id/-timestamp changed on the way, or the endpoint signs with another secret)";
      default -> message;
    };
  }

  private static List<String> missing(Map<String, String> headers) {
    List<String> missing = new ArrayList<>();
    for (String name : SIGNATURE_HEADERS) {
      String value = header(headers, name);
      if (value == null || value.isEmpty()) {
        missing.add(name);
      }
    }
    return missing;
  }

  private static String age(Map<String, String> headers, InstantSource clock) {
    long seconds =
        Math.abs(
            clock.instant().getEpochSecond()
                - Long.parseLong(header(headers, Webhook.TIMESTAMP_HEADER)));
    Duration d = Duration.ofSeconds(seconds);
    return d.toHours() > 0
        ? d.toHours() + " h " + d.toMinutesPart() + " min"
        : d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : seconds + " s";
  }

  /** The report of one request, ending with a blank line. */
  static String describe(
      String method,
      String target,
      Map<String, String> headers,
      byte[] body,
      Verdict verdict,
      int status,
      Instant receivedAt) {
    StringBuilder out = new StringBuilder();
    out.append("--> ")
        .append(method)
        .append(' ')
        .append(target)
        .append("  (received ")
        .append(receivedAt.truncatedTo(ChronoUnit.SECONDS))
        .append(")\n");
    shownHeaders(headers)
        .forEach((name, value) -> out.append(name).append(": ").append(value).append('\n'));
    out.append(body(body)).append('\n');
    out.append(
            switch (verdict) {
              case NotChecked n -> "signature: not checked (give --secret whsec_... to verify it)";
              case Verified v -> "signature: verified";
              case Failed f -> "signature: NOT VERIFIED, " + f.reason();
            })
        .append('\n');
    out.append("<-- answered ").append(status).append("\n\n");
    return out.toString();
  }

  // The signature headers first in their protocol order, then the other webhook-*/svix-* headers
  // and the content type; the rest (host, user agent, length) says nothing about the webhook.
  private static Map<String, String> shownHeaders(Map<String, String> headers) {
    Map<String, String> shown = new LinkedHashMap<>();
    for (String name : SIGNATURE_HEADERS) {
      String value = header(headers, name);
      if (value != null) {
        shown.put(name, value);
      }
    }
    Map<String, String> others = new TreeMap<>();
    headers.forEach(
        (name, value) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          boolean relevant =
              lower.startsWith("webhook-")
                  || lower.startsWith("svix-")
                  || lower.equals("content-type");
          if (relevant && !shown.containsKey(lower)) {
            others.put(lower, value);
          }
        });
    shown.putAll(others);
    return shown;
  }

  private static String body(byte[] body) {
    if (body.length == 0) {
      return "(no body)";
    }
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      var json =
          Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
    } catch (JsonProcessingException e) {
      return text;
    }
  }

  private static String header(Map<String, String> headers, String name) {
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
