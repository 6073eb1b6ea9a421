package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With {@code HERALD_VALIDATE_PAYLOADS=true}, every event type with a schema is enforced. */
class ValidateAllPayloadsApiTest extends PayloadValidationApiTest {

  @Override
  protected Map<String, String> settings() {
    Map<String, String> settings = new java.util.HashMap<>(super.settings());
    settings.put("HERALD_VALIDATE_PAYLOADS", "true");
    return settings;
  }

  @Override
  boolean validatesAll() {
    return true;
  }

  @Override
  @Test
  void an_event_type_that_does_not_opt_in_is_not_validated() {
    String app = hooks.createApp();
    assertThat(send(app, eventType(false), Map.of("amount", "not a number")).status())
        .isEqualTo(422);
    // Without a schema, or without an event type, there is nothing to validate against.
    String plain = "plain." + UUID.randomUUID().toString().substring(0, 8);
    api.post("/api/v1/event-type", Map.of("name", plain, "description", "d"));
    assertThat(send(app, plain, Map.of("anything", 1)).status()).isEqualTo(202);
    assertThat(send(app, "no.such.type", Map.of("amount", "x")).status()).isEqualTo(202);
  }
}
