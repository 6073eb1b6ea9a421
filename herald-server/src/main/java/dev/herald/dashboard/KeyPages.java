package dev.herald.dashboard;

import dev.herald.error.Conflict;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The org's API keys: list (created, last used), create (the secret shown on that one page only)
 * and revoke. The key this session was opened with cannot be revoked here.
 */
final class KeyPages {
  private final DashboardServices services;
  private final DashboardRequests requests;

  KeyPages(DashboardServices services, DashboardRequests requests) {
    this.services = services;
    this.requests = requests;
  }

  void register(RoutesConfig routes) {
    routes.get("/dashboard/keys", requests.page(ctx -> render(ctx, 200, null, null)));
    routes.post("/dashboard/keys", requests.page(this::create));
    routes.post("/dashboard/keys/{key_id}/revoke", requests.page(this::revoke));
  }

  private void create(Context ctx) {
    var s = requests.changing(ctx);
    String name = ctx.formParam("name");
    name = name == null || name.isBlank() ? "api key" : name.strip();
    if (name.length() > 256) {
      render(ctx, 422, null, "The name may have at most 256 characters.");
      return;
    }
    var key = services.auth().createOrgKey(s.principal().orgId(), name);
    render(ctx, 201, key, null);
  }

  private void revoke(Context ctx) {
    var s = requests.changing(ctx);
    try {
      services.auth().revokeOrgKey(s.principal().orgId(), ctx.pathParam("key_id"), s.keyId());
    } catch (Conflict e) {
      render(
          ctx, 409, null, "This is the key you signed in with; sign in with another to revoke it.");
      return;
    }
    render(ctx, 200, null, null);
  }

  private void render(
      Context ctx, int status, dev.herald.auth.AuthService.NewKey created, String error) {
    var s = requests.session(ctx);
    requests
        .pages()
        .render(
            ctx,
            status,
            "dashboard/keys.jte",
            new KeysView(
                new Frame(s.csrfToken(), "keys"),
                services.auth().listOrgKeys(s.principal().orgId()),
                s.keyId(),
                created,
                error));
  }
}
