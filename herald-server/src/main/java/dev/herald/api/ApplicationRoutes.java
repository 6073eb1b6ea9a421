package dev.herald.api;

import static dev.herald.api.Routes.Access.APP;
import static dev.herald.api.Routes.Access.ORG;
import static dev.herald.auth.Capability.VIEW_BASE;

import dev.herald.application.ApplicationIn;
import dev.herald.application.ApplicationService;
import dev.herald.auth.Principal;
import dev.herald.store.ApplicationStore;
import io.javalin.http.Context;

/** {@code /api/v1/app}: Svix's application operations. */
final class ApplicationRoutes {
  private final ApplicationService apps;
  private final Requests requests;

  ApplicationRoutes(ApplicationService apps, Requests requests) {
    this.apps = apps;
    this.requests = requests;
  }

  void register(Routes r) {
    r.get("/api/v1/app", ORG, this::list);
    r.post("/api/v1/app", ORG, this::create);
    r.get("/api/v1/app/{app_id}", APP, VIEW_BASE, this::get);
    r.put("/api/v1/app/{app_id}", ORG, this::put);
    r.patch("/api/v1/app/{app_id}", ORG, this::patch);
    r.delete("/api/v1/app/{app_id}", ORG, this::delete);
  }

  private void list(Context ctx, Principal p) {
    var filter =
        new ApplicationStore.ListFilter(
            Requests.flag(ctx, "exclude_apps_with_no_endpoints"),
            Requests.flag(ctx, "exclude_apps_with_disabled_endpoints"),
            Requests.flag(ctx, "exclude_apps_with_svix_play_endpoints"));
    Responses.json(ctx, 200, apps.list(p.orgId(), filter, Requests.page(ctx, false)));
  }

  private void create(Context ctx, Principal p) {
    var saved =
        apps.create(
            p.orgId(), ApplicationIn.read(requests.body(ctx)), Requests.flag(ctx, "get_if_exists"));
    Responses.json(ctx, saved.created() ? 201 : 200, saved.application());
  }

  private void get(Context ctx, Principal p) {
    Responses.json(ctx, 200, apps.get(p.orgId(), ctx.pathParam("app_id")));
  }

  private void put(Context ctx, Principal p) {
    String appId = Requests.uidPathParam(ctx, "app_id");
    var saved = apps.upsert(p.orgId(), appId, ApplicationIn.read(requests.body(ctx)));
    Responses.json(ctx, saved.created() ? 201 : 200, saved.application());
  }

  private void patch(Context ctx, Principal p) {
    var body = requests.body(ctx);
    Responses.json(
        ctx,
        200,
        apps.patch(
            p.orgId(), ctx.pathParam("app_id"), current -> ApplicationIn.patch(current, body)));
  }

  private void delete(Context ctx, Principal p) {
    apps.delete(p.orgId(), ctx.pathParam("app_id"));
    Responses.noContent(ctx);
  }
}
