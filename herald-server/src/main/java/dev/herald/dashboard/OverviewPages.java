package dev.herald.dashboard;

import dev.herald.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The overview: charts drawn by {@code dashboard.js} from {@code /dashboard/overview/series}, and
 * the live tiles, which htmx re-fetches every 10 seconds (the charts follow each refresh).
 */
final class OverviewPages {
  private final DashboardRequests requests;
  private final Activity activity;

  OverviewPages(DashboardServices services, DashboardRequests requests) {
    this.requests = requests;
    this.activity = new Activity(services.database(), services.clock());
  }

  void register(RoutesConfig routes) {
    routes.get("/dashboard", requests.page(this::overview));
    routes.get("/dashboard/overview/live", requests.page(this::live));
    routes.get("/dashboard/overview/series", requests.page(this::series));
  }

  private void overview(Context ctx) {
    render(ctx, "dashboard/overview.jte", "overview");
  }

  /** The tiles alone, an htmx fragment (no frame). */
  private void live(Context ctx) {
    render(ctx, "dashboard/live.jte", null);
  }

  private void render(Context ctx, String template, String section) {
    var s = requests.session(ctx);
    Activity.Range range = Activity.Range.named(ctx.queryParam("range"));
    Frame frame = section == null ? null : new Frame(s.csrfToken(), section);
    requests
        .pages()
        .render(
            ctx,
            200,
            template,
            new OverviewView(frame, range.name, activity.live(s.principal().orgId())));
  }

  private void series(Context ctx) {
    var s = requests.session(ctx);
    Activity.Range range = Activity.Range.named(ctx.queryParam("range"));
    ctx.contentType("application/json")
        .result(Json.write(activity.series(s.principal().orgId(), range)));
  }
}
