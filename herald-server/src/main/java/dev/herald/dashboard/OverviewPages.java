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
    var s = requests.session(ctx);
    Activity.Range range = Activity.Range.named(ctx.queryParam("range"));
    requests
        .pages()
        .render(
            ctx,
            200,
            "dashboard/overview.jte",
            new OverviewView(
                new Frame(s.csrfToken(), "overview"),
                range.name,
                activity.live(s.principal().orgId())));
  }

  private void live(Context ctx) {
    var s = requests.session(ctx);
    Activity.Range range = Activity.Range.named(ctx.queryParam("range"));
    requests
        .pages()
        .render(
            ctx,
            200,
            "dashboard/live.jte",
            new OverviewView(null, range.name, activity.live(s.principal().orgId())));
  }

  private void series(Context ctx) {
    var s = requests.session(ctx);
    Activity.Range range = Activity.Range.named(ctx.queryParam("range"));
    ctx.contentType("application/json")
        .result(Json.write(activity.series(s.principal().orgId(), range)));
  }
}
