package dev.herald.endpoint;

import dev.herald.filter.ContentFilter;
import dev.herald.json.BodyReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;

/**
 * The writable fields of an endpoint, already validated (cross-entity checks happen in the
 * service).
 */
public record EndpointIn(
    String uid,
    String url,
    String description,
    boolean disabled,
    List<String> eventTypes,
    List<String> channels,
    Integer throttleRate,
    Map<String, String> metadata,
    SigningSecret secret,
    Map<String, String> headers,
    ContentFilter filter,
    boolean ordered) {

  static final int MAX_CHANNELS = 10;

  public EndpointIn {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    headers = headers == null ? null : Map.copyOf(headers);
    description = description == null ? "" : description;
  }

  /** Reads a full body (POST, PUT). */
  public static EndpointIn read(BodyReader body) {
    String url = body.requiredString("url");
    checkUrl(body, url);
    String uid = body.string("uid", 1, 256, BodyReader.ID_PATTERN);
    String description = body.string("description");
    Boolean disabled = body.bool("disabled");
    List<String> eventTypes =
        body.stringSet(eventTypesField(body), 1, 10_000, 256, BodyReader.ID_PATTERN);
    List<String> channels = body.stringSet("channels", 1, MAX_CHANNELS, 128, BodyReader.ID_PATTERN);
    Long throttle = body.integerOrAlias("throttleRate", "rateLimit", 1, 65535);
    Map<String, String> metadata = body.stringMap("metadata");
    SigningSecret secret = readSecret(body, "secret");
    // Svix SDKs may set the custom headers on create; they follow the headers endpoint's rules.
    Map<String, String> headers = body.stringMap("headers");
    ContentFilter filter = ContentFilter.read(body, "filter");
    Boolean ordered = body.bool("ordered");
    checkVersion(body);
    body.validate();
    if (headers != null) {
      EndpointHeaders.validate(headers);
    }
    return new EndpointIn(
        uid,
        url,
        description,
        Boolean.TRUE.equals(disabled),
        eventTypes,
        channels,
        throttle == null ? null : throttle.intValue(),
        metadata,
        secret,
        headers,
        filter,
        Boolean.TRUE.equals(ordered));
  }

  /** Applies a PATCH body over the current endpoint: absent fields keep their value. */
  public static EndpointIn patch(Endpoint current, BodyReader body) {
    String url = current.url();
    if (body.has("url")) {
      url = body.string("url");
      if (url == null) {
        body.fail("url", "none is not an allowed value", "type_error.none.not_allowed");
      } else {
        checkUrl(body, url);
      }
    }
    String uid =
        body.has("uid") ? body.string("uid", 1, 256, BodyReader.ID_PATTERN) : current.uid();
    String description =
        body.has("description") ? body.string("description") : current.description();
    boolean disabled =
        body.has("disabled") ? Boolean.TRUE.equals(body.bool("disabled")) : current.disabled();
    String typesField = eventTypesField(body);
    List<String> eventTypes =
        body.has(typesField)
            ? emptyToNull(body.stringSet(typesField, 0, 10_000, 256, BodyReader.ID_PATTERN))
            : current.eventTypes();
    List<String> channels =
        body.has("channels")
            ? emptyToNull(body.stringSet("channels", 0, MAX_CHANNELS, 128, BodyReader.ID_PATTERN))
            : current.channels();
    Integer throttle = current.throttleRate();
    if (body.has("throttleRate") || body.has("rateLimit")) {
      Long t = body.integerOrAlias("throttleRate", "rateLimit", 0, 65535);
      throttle = t == null || t == 0 ? null : t.intValue();
    }
    Map<String, String> metadata =
        body.has("metadata") ? body.stringMap("metadata") : current.metadata();
    SigningSecret secret = null;
    if (body.isNull("secret")) {
      body.fail(
          "secret",
          "none is not an allowed value: leave the secret out to keep it, or rotate it",
          "type_error.none.not_allowed");
    } else if (body.has("secret")) {
      secret = readSecret(body, "secret");
    }
    ContentFilter filter =
        body.has("filter") ? ContentFilter.read(body, "filter") : current.filter();
    boolean ordered =
        body.has("ordered") ? Boolean.TRUE.equals(body.bool("ordered")) : current.ordered();
    checkVersion(body);
    body.validate();
    return new EndpointIn(
        uid,
        url,
        description,
        disabled,
        eventTypes,
        channels,
        throttle,
        metadata,
        secret,
        null,
        filter,
        ordered);
  }

  /**
   * The field the event-type filter comes in. The reference API names it {@code eventTypes}; the
   * Svix SDKs send {@code filterTypes}. When both are present, {@code eventTypes} wins.
   */
  private static String eventTypesField(BodyReader body) {
    return !body.has("eventTypes") && body.has("filterTypes") ? "filterTypes" : "eventTypes";
  }

  /** Svix's deprecated {@code version} has one value; any other is refused rather than ignored. */
  private static void checkVersion(BodyReader body) {
    Long version = body.integer("version", 1, Long.MAX_VALUE);
    if (version != null && version != 1) {
      body.fail(
          "version",
          "endpoint version " + version + " is not supported; the only version is 1",
          "value_error.not_supported");
    }
  }

  private static List<String> emptyToNull(List<String> list) {
    return list == null || list.isEmpty() ? null : list;
  }

  static SigningSecret readSecret(BodyReader body, String field) {
    String text = body.string(field);
    if (text == null) {
      return null;
    }
    try {
      return SigningSecret.parse(text);
    } catch (IllegalArgumentException e) {
      body.fail(field, e.getMessage(), "value_error.str.regex");
      return null;
    }
  }

  private static void checkUrl(BodyReader body, String url) {
    if (url == null) {
      return;
    }
    String problem = urlProblem(url);
    if (problem != null) {
      body.fail("url", problem, "value_error.url");
    }
  }

  /** Why the URL cannot be an endpoint, or null when it can. */
  static String urlProblem(String url) {
    if (url.isEmpty() || url.length() > 65536) {
      return "the URL must be 1 to 65536 characters";
    }
    if (UrlCredentials.present(url)) {
      // Never echo the URL here: it holds a password.
      return "the URL must not contain credentials (user:password@); send them in a custom header"
          + " instead, e.g. \"headers\": {\"Authorization\": \"Basic …\"}";
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        return "the URL scheme must be http or https";
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        return "the URL must name a host";
      }
      return null;
    } catch (URISyntaxException e) {
      return "invalid URL: " + e.getReason();
    }
  }
}
