package dev.herald.incoming;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.incoming.verify.InboundRequest;
import dev.herald.incoming.verify.Preset;
import dev.herald.incoming.verify.VerifierConfig;
import dev.herald.json.Json;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The message payload of a verified request: a JSON body byte for byte (the provider's own bytes,
 * so a consumer can check its signature again); a form as a JSON object (a repeated field becomes
 * an array); anything else in an envelope {@code {contentType, bodyBase64, headers}} whose headers
 * are the preset's signature and id headers plus {@code content-type}.
 */
final class PayloadMapping {
  private PayloadMapping() {}

  static byte[] payloadOf(InboundRequest r, VerifierConfig c) {
    if (r.json() != null) {
      return r.body();
    }
    if (r.isForm()) {
      return Json.writeBytes(formObject(r.form()));
    }
    return Json.writeBytes(envelope(r, c));
  }

  static ObjectNode formObject(Map<String, List<String>> form) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    form.forEach(
        (name, values) -> {
          if (values.size() == 1) {
            out.put(name, values.get(0));
          } else {
            ArrayNode array = out.putArray(name);
            values.forEach(array::add);
          }
        });
    return out;
  }

  private static ObjectNode envelope(InboundRequest r, VerifierConfig c) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    String contentType = r.header("content-type");
    out.put("contentType", contentType == null ? "" : contentType);
    out.put("bodyBase64", Base64.getEncoder().encodeToString(r.body()));
    ObjectNode headers = out.putObject("headers");
    Preset p = c.type();
    for (String name : p.signatureHeaders(c)) {
      String v = r.header(name);
      if (v != null) {
        headers.put(name.toLowerCase(Locale.ROOT), v);
      }
    }
    if (contentType != null) {
      headers.put("content-type", contentType);
    }
    return out;
  }
}
