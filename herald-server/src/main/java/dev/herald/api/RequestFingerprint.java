package dev.herald.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.herald.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes two requests under one idempotency key "the same request": method, path, query, and
 * the body as a JSON value. Member order and whitespace do not count (a client re-encoding its
 * retry is retrying, as in Svix); strings compare by value (escapes decoded); numbers compare by
 * their text, so {@code 1.0} and {@code 1.00}, which a payload would deliver differently, differ. A
 * body that is not one JSON value is compared byte for byte.
 */
final class RequestFingerprint {
  private RequestFingerprint() {}

  static String of(String method, String pathAndQuery, byte[] body) {
    return digest(method, pathAndQuery, canonical(body));
  }

  /**
   * The fingerprint earlier versions stored: the body's bytes as sent. A key claimed by such a node
   * (during a rolling upgrade, or up to a day before) still matches the same request.
   */
  static String ofBytes(String method, String pathAndQuery, byte[] body) {
    return digest(method, pathAndQuery, body);
  }

  private static String digest(String method, String pathAndQuery, byte[] body) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update((method + " " + pathAndQuery + "\n").getBytes(StandardCharsets.UTF_8));
      md.update(body);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The body with sorted members and no whitespace, or the bytes as sent when it is not JSON. */
  static byte[] canonical(byte[] body) {
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      if (p.nextToken() == null) {
        return body;
      }
      StringBuilder out = new StringBuilder(body.length);
      write(p, out);
      return p.nextToken() == null ? out.toString().getBytes(StandardCharsets.UTF_8) : body;
    } catch (JsonProcessingException e) {
      return body;
    } catch (IOException e) {
      throw new IllegalStateException("reading a body held in memory failed", e);
    }
  }

  /** Writes the value at the parser's current token. */
  private static void write(JsonParser p, StringBuilder out) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT -> {
        // A repeated name keeps its last value, as the request's reading does.
        Map<String, String> members = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          StringBuilder value = new StringBuilder();
          write(p, value);
          members.put(name, value.toString());
        }
        out.append('{');
        String separator = "";
        for (var m : members.entrySet()) {
          out.append(separator)
              .append('"')
              .append(quoted(m.getKey()))
              .append("\":")
              .append(m.getValue());
          separator = ",";
        }
        out.append('}');
      }
      case START_ARRAY -> {
        out.append('[');
        String separator = "";
        while (p.nextToken() != JsonToken.END_ARRAY) {
          out.append(separator);
          write(p, out);
          separator = ",";
        }
        out.append(']');
      }
      case VALUE_STRING -> out.append('"').append(quoted(p.getText())).append('"');
      default -> out.append(p.getText()); // numbers as written, true, false, null
    }
  }

  /**
   * Every char outside printable ASCII, and the quote and backslash, as a {@code \\uXXXX} escape:
   * one spelling per string, and lone surrogates stay distinct (UTF-8 would turn each into "?").
   */
  private static String quoted(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean plain = c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
      if (plain) {
        out.append(c);
      } else {
        out.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4) {
          out.append(Character.forDigit((c >> shift) & 0xF, 16));
        }
      }
    }
    return out.toString();
  }
}
