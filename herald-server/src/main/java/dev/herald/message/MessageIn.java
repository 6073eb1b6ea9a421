package dev.herald.message;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.application.ApplicationIn;
import dev.herald.error.PayloadTooLarge;
import dev.herald.json.BodyReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A validated message-create request. */
public record MessageIn(
    String eventType,
    String eventId,
    List<String> channels,
    byte[] payload,
    int retentionDays,
    ApplicationIn application) {

  public static final int DEFAULT_RETENTION_DAYS = 90;
  static final int MAX_CHANNELS = 5;

  /**
   * Reads the body. The payload is a JSON object, stored byte for byte as sent; or, with
   * {@code transformationsParams.rawPayload}, that string's bytes sent verbatim.
   */
  public static MessageIn read(BodyReader body, long maxPayloadBytes) {
    String eventType = body.requiredString("eventType");
    if (eventType != null) {
      body.string("eventType", 1, 256, BodyReader.ID_PATTERN);
    }
    String eventId = body.string("eventId", 1, 256, BodyReader.ID_PATTERN);
    List<String> channels = body.stringSet("channels", 1, MAX_CHANNELS, 128, BodyReader.ID_PATTERN);
    Long retention = body.integer("payloadRetentionPeriod", 1, 3650);
    // Newer Svix SDKs may give the retention in hours instead; a day is the smallest unit kept.
    Long retentionHours = body.integer("payloadRetentionHours", 1, 3650L * 24);
    if (retention == null && retentionHours != null) {
      retention = Math.max(1, (retentionHours + 23) / 24);
    }
    byte[] payload = null;
    JsonNode raw = body.node("transformationsParams") == null ? null : body.node("transformationsParams").get("rawPayload");
    if (raw != null && !raw.isNull()) {
      if (!raw.isTextual()) {
        body.fail("transformationsParams", "rawPayload must be a string", "type_error.str");
      } else {
        payload = raw.textValue().getBytes(StandardCharsets.UTF_8);
      }
    } else {
      JsonNode p = body.node("payload");
      if (p == null || p.isNull()) {
        body.fail("payload", "field required", "value_error.missing");
      } else if (!p.isObject()) {
        body.fail("payload", "the payload must be a JSON object", "type_error.dict");
      } else {
        // As sent: re-serialising the tree would change numbers' digits (hardening #9 point 4).
        payload = body.raw("payload");
      }
    }
    ApplicationIn application = null;
    if (body.has("application") && !body.isNull("application")) {
      application = ApplicationIn.read(body.nested("application"));
    }
    body.validate();
    if (payload.length > maxPayloadBytes) {
      throw new PayloadTooLarge("the payload is " + payload.length + " bytes; the limit is " + maxPayloadBytes
          + " (HERALD_MAX_PAYLOAD_SIZE)");
    }
    return new MessageIn(eventType, eventId, channels, payload,
        retention == null ? DEFAULT_RETENTION_DAYS : retention.intValue(), application);
  }
}
