package dev.herald.api;

import static dev.herald.api.Routes.Access.ORG;

import dev.herald.auth.AuthService;
import dev.herald.auth.Principal;
import dev.herald.json.BodyReader;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/api-key}: the org's API keys (a Herald addition; Svix manages keys in its closed
 * dashboard). Org keys only: app-portal tokens get 403. The secret is in the create answer only
 * (never kept for an idempotent replay); lists show when each key was created and last used (late
 * by up to a minute).
 */
final class ApiKeyRoutes {
  private final AuthService auth;
  private final Requests requests;

  ApiKeyRoutes(AuthService auth, Requests requests) {
    this.auth = auth;
    this.requests = requests;
  }

  void register(Routes r) {
    r.postAnsweringASecret("/api/v1/api-key", ORG, this::create);
    r.get("/api/v1/api-key", ORG, this::list);
    r.delete("/api/v1/api-key/{key_id}", ORG, this::revoke);
  }

  private void create(Context ctx, Principal p) {
    BodyReader body = requests.optionalBody(ctx);
    String name = body.string("name", 1, 256, null);
    body.validate();
    AuthService.NewKey key = auth.createOrgKey(p.orgId(), name == null ? "api key" : name);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", key.id());
    out.put("name", key.name());
    out.put("createdAt", key.createdAt());
    out.put("key", key.key());
    Responses.json(ctx, 201, out);
  }

  private void list(Context ctx, Principal p) {
    List<Map<String, Object>> data = new ArrayList<>();
    for (var k : auth.listOrgKeys(p.orgId())) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", k.id());
      row.put("name", k.name());
      row.put("createdAt", k.createdAt());
      row.put("lastUsedAt", k.lastUsedAt());
      data.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("data", data);
    out.put("iterator", null);
    out.put("prevIterator", null);
    out.put("done", true);
    Responses.json(ctx, 200, out);
  }

  private void revoke(Context ctx, Principal p) {
    String own = auth.orgKeyId(Routes.bearer(ctx)).orElse(null);
    auth.revokeOrgKey(p.orgId(), ctx.pathParam("key_id"), own);
    ctx.status(204);
  }
}
