package dev.herald.message;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.application.ApplicationIn;
import dev.herald.error.PayloadTooLarge;
import dev.herald.json.BodyReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/** A validated message-create request. */
public record MessageIn(
    String eventType,
    String eventId,
    List<String> channels,
    byte[] payload,
    int retentionDays,
    ApplicationIn application,
    List<String> tags,
    Instant deliverAt) {

  public static final int DEFAULT_RETENTION_DAYS = 90;
  static final int MAX_CHANNELS = 5;
  static final int MAX_TAGS = 5;

  /** Svix's tag rule: like an id, plus '/', '\\' and '#'. */
  public static final Pattern TAG_PATTERN = Pattern.compile("^[a-zA-Z0-9\\-_./\\\\#]+$");

  /**
   * Reads the body. The payload is a JSON object, stored byte for byte as sent; or, with {@code
   * transformationsParams.rawPayload}, that string's bytes sent verbatim.
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
    if (retention != null && retentionHours != null) {
      body.fail(
          "payloadRetentionHours",
          "payloadRetentionPeriod and payloadRetentionHours are mutually exclusive",
          "value_error.mutually_exclusive");
    }
    if (retention == null && retentionHours != null) {
      retention = Math.max(1, (retentionHours + 23) / 24);
    }
    byte[] payload = null;
    JsonNode raw =
        body.node("transformationsParams") == null
            ? null
            : body.node("transformationsParams").get("rawPayload");
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
    checkTransformationsParams(body);
    List<String> tags = body.stringSet("tags", 0, MAX_TAGS, 128, TAG_PATTERN);
    Instant deliverAt = readInstant(body, "deliverAt");
    ApplicationIn application = null;
    if (body.has("application") && !body.isNull("application")) {
      application = ApplicationIn.read(body.nested("application"));
    }
    body.validate();
    if (payload.length > maxPayloadBytes) {
      throw new PayloadTooLarge(
          "the payload is "
              + payload.length
              + " bytes; the limit is "
              + maxPayloadBytes
              + " (HERALD_MAX_PAYLOAD_SIZE)");
    }
    return new MessageIn(
        eventType,
        eventId,
        channels,
        payload,
        retention == null ? DEFAULT_RETENTION_DAYS : retention.intValue(),
        application,
        tags == null || tags.isEmpty() ? null : tags,
        deliverAt);
  }

  /**
   * Herald has no transformations: only {@code rawPayload} has a meaning; anything else is refused.
   */
  private static void checkTransformationsParams(BodyReader body) {
    JsonNode params = body.node("transformationsParams");
    if (params == null || !params.isObject()) {
      return;
    }
    for (String name : (Iterable<String>) params::fieldNames) {
      if (!name.equals("rawPayload")) {
        body.fail(
            "transformationsParams",
            "transformationsParams."
                + name
                + " is not supported (Herald has no transformations; only rawPayload is)",
            "value_error.not_supported");
      }
    }
  }

  private static Instant readInstant(BodyReader body, String field) {
    String text = body.string(field);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      body.fail(field, "invalid datetime format", "value_error.datetime");
      return null;
    }
  }
}
