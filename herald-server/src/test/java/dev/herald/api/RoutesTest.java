package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.auth.Capability;
import io.javalin.Javalin;
import org.junit.jupiter.api.Test;

/** Registration rules of {@link Routes}: no route open to portal tokens without a capability. */
class RoutesTest {
  private static final Routes.Authed NOTHING = (ctx, p) -> {};

  private static void register(java.util.function.Consumer<Routes> registration) {
    Javalin.create(c -> registration.accept(new Routes(c.routes, null, null, null)));
  }

  @Test
  void a_route_open_to_portal_tokens_without_a_capability_fails_at_registration() {
    assertThatThrownBy(() -> register(r -> r.get("/app/{app_id}/x", Routes.Access.APP, NOTHING)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/app/{app_id}/x")
        .hasMessageContaining("capability");
    assertThatThrownBy(() -> register(r -> r.post("/any", Routes.Access.ANY, NOTHING)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void org_routes_need_no_capability_and_portal_routes_name_one() {
    assertThatCode(
            () ->
                register(
                    r -> {
                      r.get("/org", Routes.Access.ORG, NOTHING);
                      r.get("/app/{app_id}/y", Routes.Access.APP, Capability.VIEW_BASE, NOTHING);
                    }))
        .doesNotThrowAnyException();
  }
}
