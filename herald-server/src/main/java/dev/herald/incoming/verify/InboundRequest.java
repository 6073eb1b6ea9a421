package dev.herald.incoming.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.JsonBody;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request to an ingest URL as it arrived: the raw body bytes (what providers sign), headers
 * (names matched ignoring case), the raw query string. The body is parsed as JSON or as a form only
 * when something asks, and only after verification has looked at the raw bytes.
 */
public final class InboundRequest {
  private final String method;
  private final String rawQuery;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final Instant receivedAt;
  private JsonNode json;
  private boolean jsonParsed;
  private Map<String, List<String>> form;
  private Map<String, List<String>> query;

  public InboundRequest(
      String method,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body,
      Instant receivedAt) {
    this.method = method;
    this.rawQuery = rawQuery == null || rawQuery.isEmpty() ? null : rawQuery;
    Map<String, List<String>> lower = new LinkedHashMap<>();
    headers.forEach(
        (name, values) ->
            lower
                .computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .addAll(values));
    this.headers = Collections.unmodifiableMap(lower);
    this.body = body;
    this.receivedAt = receivedAt;
  }

  public String method() {
    return method;
  }

  /** The query string as received (still percent-encoded), or null. */
  public String rawQuery() {
    return rawQuery;
  }

  /** Every header, names in lower case. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header, or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public byte[] body() {
    return body;
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  /** The media type of the body, lower case, without parameters; "" when none was sent. */
  public String mediaType() {
    String type = header("content-type");
    if (type == null) {
      return "";
    }
    int semi = type.indexOf(';');
    return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** The body as one JSON value, or null when it is not exactly one (UTF-8) JSON value. */
  public JsonNode json() {
    if (!jsonParsed) {
      jsonParsed = true;
      try {
        json = body.length == 0 ? null : JsonBody.parse(body).root();
      } catch (RuntimeException e) {
        json = null;
      }
    }
    return json;
  }

  /** True when the body is sent as a form ({@code application/x-www-form-urlencoded}). */
  public boolean isForm() {
    return mediaType().equals("application/x-www-form-urlencoded");
  }

  /** The form fields of the body in order (empty unless it is a form). */
  public Map<String, List<String>> form() {
    if (form == null) {
      form = isForm() ? parsePairs(new String(body, StandardCharsets.UTF_8)) : Map.of();
    }
    return form;
  }

  /** The query parameters, decoded, in order. */
  public Map<String, List<String>> query() {
    if (query == null) {
      query = rawQuery == null ? Map.of() : parsePairs(rawQuery);
    }
    return query;
  }

  /** Parses {@code a=1&b=2&a=3} (form or query encoding) into names with all their values. */
  public static Map<String, List<String>> parsePairs(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return Collections.unmodifiableMap(out);
    }
    for (String pair : text.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return Collections.unmodifiableMap(out);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // A stray '%' is kept as written rather than failing the whole request.
      return s;
    }
  }
}
