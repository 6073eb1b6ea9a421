package dev.herald.transform;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a transformation made of a webhook, checked: the JSON form is {@code simulate}'s answer.
 *
 * @param payload the body to send, as JSON text
 * @param headers headers the script set, minus those it may not set (noted in {@code logs})
 * @param cancel true when the script cancelled the delivery: nothing is sent
 * @param logs the script's console output, capped
 */
public record Transformed(
    String method,
    String url,
    String payload,
    Map<String, String> headers,
    boolean cancel,
    String logs) {

  private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");

  /**
   * Headers Herald owns: framing ({@code Host}, {@code Content-Length}), hop-by-hop headers (RFC
   * 9110 7.6.1) and the signature headers, which are computed after the transformation.
   */
  private static final Set<String> RESERVED =
      Set.of(
          "host",
          "content-length",
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

  @JsonIgnore
  public byte[] payloadBytes() {
    return payload.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Checks the runner's JSON ({@code {method, url, payload, headers, cancel}}, payload already
   * serialized) against the contract; a broken rule fails the call with the rule as its reason.
   */
  static Transformed parse(String json, String logs, SandboxLimits limits) {
    JsonNode out = Json.tree(json);
    String method = text(out, "method");
    if (method == null || !METHODS.contains(method)) {
      throw new ScriptFailed(
          "webhook.method must be \"POST\", \"PUT\" or \"PATCH\", not " + out.get("method"));
    }
    String url = text(out, "url");
    checkUrl(url);
    String payload = text(out, "payload");
    if (payload == null) {
      throw new ScriptFailed("webhook.payload could not be serialized to JSON");
    }
    int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limits.outputBytes()) {
      throw new ScriptFailed(
          "the transformed payload is "
              + bytes
              + " bytes, over the limit of "
              + limits.outputBytes());
    }
    StringBuilder notes = new StringBuilder(logs);
    Map<String, String> headers = headers(out.get("headers"), notes);
    boolean cancel = out.path("cancel").asBoolean(false);
    return new Transformed(method, url, payload, headers, cancel, notes.toString());
  }

  private static String text(JsonNode out, String field) {
    JsonNode n = out.get(field);
    return n != null && n.isTextual() ? n.textValue() : null;
  }

  private static void checkUrl(String url) {
    if (url == null) {
      throw new ScriptFailed("webhook.url must be a string");
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new ScriptFailed("webhook.url must be an http or https URL");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new ScriptFailed("webhook.url has no host");
      }
      if (uri.getRawUserInfo() != null) {
        throw new ScriptFailed("webhook.url may not carry credentials (user:password@)");
      }
    } catch (URISyntaxException e) {
      throw new ScriptFailed("webhook.url is not a valid URL: " + e.getReason());
    }
  }

  private static Map<String, String> headers(JsonNode node, StringBuilder notes) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (node == null || node.isNull() || node.isMissingNode()) {
      return headers;
    }
    if (!node.isObject()) {
      throw new ScriptFailed("webhook.headers must be an object of header names to strings");
    }
    for (var e : node.properties()) {
      String name = e.getKey();
      JsonNode value = e.getValue();
      if (!value.isTextual()) {
        throw new ScriptFailed("webhook.headers[\"" + name + "\"] must be a string");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (!TOKEN.matcher(name).matches() || value.textValue().matches("(?s).*[\\r\\n\\x00].*")) {
        throw new ScriptFailed("webhook.headers[\"" + name + "\"] is not a valid HTTP header");
      }
      if (RESERVED.contains(lower) || lower.startsWith("webhook-") || lower.startsWith("svix-")) {
        notes
            .append(notes.isEmpty() || notes.charAt(notes.length() - 1) == '\n' ? "" : "\n")
            .append("[herald] header ")
            .append(name)
            .append(" ignored: it is set by Herald\n");
        continue;
      }
      headers.put(name, value.textValue());
    }
    return headers;
  }
}
