package dev.herald.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.herald.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * The object a transformation's {@code handler} is given (Svix's contract): {@code method} is
 * always {@code POST}, {@code url} the endpoint's, {@code headers} empty, {@code payload} the
 * message's, {@code cancel} false. The endpoint's custom headers are not shown to the script: their
 * values may be credentials that the headers API redacts, and a portal token allowed to manage
 * transformations would read them through {@code simulate}. What the script sets is sent on top of
 * them.
 *
 * @param payloadJson the payload as JSON text, passed to the script verbatim
 */
public record Webhook(String url, String eventType, byte[] payloadJson) {

  /**
   * The webhook without its payload, as the JSON text the script parses. The payload is passed
   * apart, as text, and parsed inside the sandbox: no parse and re-serialization here, and a
   * payload that is not JSON (a {@code rawPayload}) reaches the handler as a string.
   */
  String envelopeJson() {
    return "{\"method\":\"POST\",\"url\":"
        + quote(url)
        + ",\"eventType\":"
        + quote(eventType)
        + ",\"cancel\":false,\"headers\":{},\"payload\":null}";
  }

  String payloadText() {
    return new String(payloadJson, StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    try {
      return Json.MAPPER.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
