package dev.herald.endpoint;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.herald.filter.ContentFilter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A subscriber URL of an application, with its filters (event types, channels, content), secret and
 * custom headers. Serialises as Svix's EndpointOut; the secret and headers are never part of it.
 * {@code ordered} (Herald's): its deliveries go one at a time, in the order they were created.
 */
public record Endpoint(
    String id,
    @JsonIgnore String orgId,
    @JsonIgnore String appId,
    @JsonInclude(JsonInclude.Include.ALWAYS) String uid,
    @JsonIgnore String url,
    String description,
    boolean disabled,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<String> eventTypes,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<String> channels,
    @JsonInclude(JsonInclude.Include.ALWAYS) Integer throttleRate,
    Map<String, String> metadata,
    @JsonIgnore SigningSecret secret,
    @JsonIgnore List<OldSecret> oldSecrets,
    @JsonIgnore Map<String, String> headers,
    @JsonIgnore Instant failingSince,
    Instant createdAt,
    Instant updatedAt,
    @JsonInclude(JsonInclude.Include.ALWAYS) ContentFilter filter,
    boolean ordered) {

  /** At most this many previous secrets are kept for rotation grace periods. */
  public static final int MAX_OLD_SECRETS = 10;

  /** A previous secret still used for signing until {@code expiresAt}. */
  public record OldSecret(String key, Instant expiresAt) {}

  /** This endpoint with another signing secret and previous secrets, updated at {@code now}. */
  public Endpoint withSecrets(SigningSecret newSecret, List<OldSecret> previous, Instant now) {
    return new Endpoint(
        id,
        orgId,
        appId,
        uid,
        url,
        description,
        disabled,
        eventTypes,
        channels,
        throttleRate,
        metadata,
        newSecret,
        previous,
        headers,
        failingSince,
        createdAt,
        now,
        filter,
        ordered);
  }

  /** This endpoint with other custom headers, updated at {@code now}. */
  public Endpoint withHeaders(Map<String, String> newHeaders, Instant now) {
    return new Endpoint(
        id,
        orgId,
        appId,
        uid,
        url,
        description,
        disabled,
        eventTypes,
        channels,
        throttleRate,
        metadata,
        secret,
        oldSecrets,
        newHeaders,
        failingSince,
        createdAt,
        now,
        filter,
        ordered);
  }

  public Endpoint {
    eventTypes = eventTypes == null ? null : List.copyOf(eventTypes);
    channels = channels == null ? null : List.copyOf(channels);
    metadata = Map.copyOf(metadata);
    oldSecrets = List.copyOf(oldSecrets);
    headers = Map.copyOf(headers);
  }

  /** The URL as shown: credentials stored before they were refused appear as {@code ***}. */
  @JsonProperty("url")
  public String shownUrl() {
    return UrlCredentials.masked(url);
  }

  /** Svix's SDKs still read this deprecated field; it is always 1. */
  @JsonProperty("version")
  public int version() {
    return 1;
  }

  /**
   * The Svix SDKs read the event-type filter as {@code filterTypes}; the reference API as {@code
   * eventTypes}.
   */
  @JsonProperty("filterTypes")
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public List<String> filterTypes() {
    return eventTypes;
  }

  /** Svix's SDKs still read the deprecated alias of {@code throttleRate}. */
  @JsonProperty("rateLimit")
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public Integer rateLimit() {
    return throttleRate;
  }

  /** Secrets to sign with now: the current one, then unexpired old ones. */
  public List<SigningSecret> signingSecrets(Instant now) {
    var out = new java.util.ArrayList<SigningSecret>();
    out.add(secret);
    for (OldSecret old : oldSecrets) {
      if (old.expiresAt().isAfter(now)) {
        out.add(SigningSecret.parse(old.key()));
      }
    }
    return out;
  }
}
