package dev.herald.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.BodyReader;
import dev.herald.json.Json;

/**
 * A {@code POST …/transformation/simulate} body (Svix's {@code EndpointTransformationSimulateIn}):
 * code to try, and the event type and payload of a made-up message. {@code channels} is accepted
 * and, as in Svix, not shown to the handler.
 */
record SimulateIn(String code, String eventType, byte[] payload) {

  static SimulateIn read(BodyReader body) {
    String code =
        body.string("code", Transformation.MIN_CODE_CHARS, Transformation.MAX_CODE_CHARS, null);
    if (code == null && !body.has("code")) {
      body.fail("code", "field required", "value_error.missing");
    }
    String eventType = body.requiredString("eventType");
    JsonNode payload = body.node("payload");
    if (payload == null || payload.isNull()) {
      body.fail("payload", "field required", "value_error.missing");
    }
    body.stringSet("channels", 0, 10, 128, null);
    body.validate();
    return new SimulateIn(code, eventType, Json.writeBytes(payload));
  }
}
