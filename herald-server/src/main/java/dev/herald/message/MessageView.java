package dev.herald.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.herald.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Svix's MessageOut. The payload is written as the stored JSON itself, not re-encoded. */
public record MessageView(
    String id,
    @JsonInclude(JsonInclude.Include.ALWAYS) String eventId,
    String eventType,
    @JsonRawValue String payload,
    List<String> channels,
    List<String> tags,
    Instant deliverAt,
    Instant timestamp) {

  private static final ObjectReader ONE_VALUE =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public static MessageView of(Message m, boolean withContent) {
    return new MessageView(
        m.id(),
        m.eventId(),
        m.eventType(),
        payloadJson(m.payload(), withContent),
        m.channels(),
        m.tags(),
        m.deliverAt(),
        m.createdAt());
  }

  /**
   * The payload as JSON text: the stored bytes when they are JSON, a JSON string for a raw payload
   * that is not, and {} when expunged or not wanted.
   */
  public static String payloadJson(byte[] payload, boolean withContent) {
    if (!withContent || payload == null) {
      return "{}";
    }
    String text = new String(payload, StandardCharsets.UTF_8);
    try {
      // Written into the response unquoted, so it must be exactly one JSON value: a raw payload
      // such as "{} trailing" or "" is not, and is shown as a string instead.
      JsonNode value = ONE_VALUE.readTree(text);
      return value == null || value.isMissingNode() ? Json.write(text) : text;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Json.write(text);
    }
  }
}
