package dev.herald.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.herald.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The object a transformation's {@code handler} is given (Svix's contract): {@code method} is
 * always {@code POST}, {@code url} and {@code headers} are the endpoint's, {@code payload} the
 * message's, {@code cancel} false.
 *
 * @param payloadJson the payload as JSON text, passed to the script verbatim
 */
public record Webhook(
    String url, String eventType, byte[] payloadJson, Map<String, String> headers) {

  /**
   * The webhook as the JSON text the script parses. The payload is spliced in as it is, without a
   * parse and re-serialization; a payload that is not JSON (a {@code rawPayload}) becomes a string.
   */
  String toJson() {
    StringBuilder b = new StringBuilder(payloadJson.length + 256);
    b.append("{\"method\":\"POST\",\"url\":")
        .append(quote(url))
        .append(",\"eventType\":")
        .append(quote(eventType))
        .append(",\"cancel\":false,\"headers\":")
        .append(Json.write(headers))
        .append(",\"payload\":");
    String payload = new String(payloadJson, StandardCharsets.UTF_8);
    b.append(isJson(payloadJson) ? payload : quote(payload)).append('}');
    return b.toString();
  }

  private static boolean isJson(byte[] bytes) {
    try {
      Json.MAPPER.readTree(bytes);
      return bytes.length > 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static String quote(String s) {
    try {
      return Json.MAPPER.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
