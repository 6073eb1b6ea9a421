package dev.herald.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.json.Json;

/**
 * What a message's filters look at: {@code {eventType, payload, headers, metadata}}. The payload is
 * parsed on first use only, so a message none of whose endpoints has a filter is never parsed.
 * Herald messages carry no headers of their own, so {@code headers} is {@code {}} at fan-out;
 * {@code metadata} is the endpoint's. One per message, used on one thread.
 */
public final class FilterDocument {
  private final String eventType;
  private final byte[] payloadBytes;
  private final JsonNode headers;
  private JsonNode payload;
  private boolean parsed;

  public FilterDocument(String eventType, byte[] payloadBytes) {
    this(eventType, payloadBytes, null, Json.MAPPER.createObjectNode());
  }

  private FilterDocument(
      String eventType, byte[] payloadBytes, JsonNode payload, JsonNode headers) {
    this.eventType = eventType;
    this.payloadBytes = payloadBytes;
    this.payload = payload;
    this.parsed = payloadBytes == null;
    this.headers = headers;
  }

  /** A document of given parts (the filter test route); null parts are missing keys. */
  public static FilterDocument of(String eventType, JsonNode payload, JsonNode headers) {
    JsonNode given = headers == null ? Json.MAPPER.createObjectNode() : headers;
    return new FilterDocument(eventType, null, payload, given);
  }

  /**
   * Whether the endpoint with this filter and metadata takes the message; true without a filter.
   */
  public boolean passes(ContentFilter filter, JsonNode metadata) {
    return filter == null || filter.matches(forEndpoint(metadata));
  }

  /** The document with the given metadata; a null metadata is a missing key. */
  public JsonNode forEndpoint(JsonNode metadata) {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    if (eventType != null) {
      doc.put("eventType", eventType);
    }
    JsonNode p = payload();
    if (p != null) {
      doc.set("payload", p);
    }
    doc.set("headers", headers);
    if (metadata != null) {
      doc.set("metadata", metadata);
    }
    return doc;
  }

  private JsonNode payload() {
    if (!parsed) {
      parsed = true;
      try {
        payload = Json.MAPPER.readTree(payloadBytes);
      } catch (java.io.IOException e) {
        // A raw (rawPayload) body that is not JSON: filters on the payload then fail to match.
        payload = null;
      }
    }
    return payload;
  }
}
