package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.eventtype.PayloadSchemas;
import dev.herald.json.Json;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.MutableClock;
import dev.herald.testing.Webhooks;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The compiled-schema cache: an event type is read once per {@link PayloadSchemas#RECHECK_AFTER},
 * not once per message, so a change written by another node (here: straight into the database)
 * takes effect once that time has passed, and not before.
 */
class PayloadSchemaCacheApiTest extends ApiContractTest {
  private final MutableClock clock = MutableClock.atSystemTime();

  @Override
  protected InstantSource clock() {
    return clock;
  }

  @Test
  void a_change_made_elsewhere_applies_once_the_cached_event_type_is_due_for_a_recheck() {
    Webhooks hooks = new Webhooks(api);
    String app = hooks.createApp();
    String type = "cached." + UUID.randomUUID().toString().substring(0, 8);
    assertThat(
            api.post(
                    "/api/v1/event-type",
                    Map.of(
                        "name",
                        type,
                        "description",
                        "d",
                        "validatePayloads",
                        true,
                        "schemas",
                        Json.tree("{\"1\":{\"required\":[\"id\"]}}")))
                .status())
        .isEqualTo(201);
    Map<String, Object> invalid = Map.of("eventType", type, "payload", Map.of("other", 1));
    assertThat(api.post("/api/v1/app/" + app + "/msg", invalid).status()).isEqualTo(422);

    // Another node turns validation off: this node's cached entry still holds for now.
    server
        .herald()
        .database()
        .writeVoid(
            sql ->
                sql.update(
                    "UPDATE event_type SET validate_payloads = FALSE, updated_at = updated_at + 1 WHERE name = ?",
                    type));
    assertThat(api.post("/api/v1/app/" + app + "/msg", invalid).status()).isEqualTo(422);

    clock.advance(PayloadSchemas.RECHECK_AFTER);
    assertThat(api.post("/api/v1/app/" + app + "/msg", invalid).status()).isEqualTo(202);
  }
}
