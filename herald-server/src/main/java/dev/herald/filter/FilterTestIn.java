package dev.herald.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.BodyReader;
import dev.herald.json.Json;
import java.util.Map;

/**
 * A {@code POST /api/v1/filter/test} body: a filter and the parts of the document it is tried on.
 * Parts left out are missing keys, except {@code headers}, which is {@code {}} as at fan-out.
 */
public record FilterTestIn(ContentFilter filter, FilterDocument document, JsonNode metadata) {

  public static FilterTestIn read(BodyReader body) {
    if (!body.has("filter") || body.isNull("filter")) {
      body.fail("filter", "field required", "value_error.missing");
    }
    ContentFilter filter = ContentFilter.read(body, "filter");
    JsonNode payload = body.node("payload");
    if (payload == null) {
      body.fail("payload", "field required", "value_error.missing");
    }
    String eventType = body.string("eventType");
    JsonNode headers = body.objectNode("headers").orElse(null);
    Map<String, String> metadata = body.stringMap("metadata");
    body.validate();
    return new FilterTestIn(
        filter,
        FilterDocument.of(eventType, payload, headers),
        metadata == null ? null : Json.MAPPER.valueToTree(metadata));
  }

  public boolean matched() {
    return filter.matches(document.forEndpoint(metadata));
  }
}
