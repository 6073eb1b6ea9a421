package dev.herald.eventtype;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;

/**
 * Herald's own payload validation ({@link JsonSchemas}, what a message create runs when its event
 * type validates), for the bench's per-message cost measurements.
 */
public final class SchemaProbe {
  private final Schema schema;

  public SchemaProbe(JsonNode draft7Schema) {
    this.schema = JsonSchemas.compile(draft7Schema);
  }

  /** The number of rules the payload breaks (0 when valid). */
  public int problems(JsonNode payload) {
    return JsonSchemas.problems("bench.event", schema, payload).size();
  }
}
