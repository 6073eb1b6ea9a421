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
   * Checks what the handler returned against the contract; a broken rule fails the call with the
   * rule as its reason.
   */
  static Transformed check(Script.Output out, SandboxLimits limits) {
    String method = out.method();
    if (method == null || !METHODS.contains(method)) {
      throw new ScriptFailed(
          "webhook.method must be \"POST\", \"PUT\" or \"PATCH\", not " + method);
    }
    checkUrl(out.url());
    String payload = out.payload();
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
    StringBuilder notes = new StringBuilder(out.logs());
    Map<String, String> headers =
        headers(out.headers() == null ? null : Json.tree(out.headers()), notes);
    return new Transformed(method, out.url(), payload, headers, out.cancel(), notes.toString());
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
