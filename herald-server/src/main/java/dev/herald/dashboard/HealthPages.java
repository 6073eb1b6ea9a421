package dev.herald.dashboard;

import dev.herald.endpoint.EndpointIn;
import dev.herald.error.ValidationFailed;
import dev.herald.json.BodyReader;
import dev.herald.json.Json;
import dev.herald.store.DeliveryStore;
import dev.herald.store.OrgViewStore;
import dev.herald.store.OrgViewStore.EndpointRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The endpoint health board across applications: endpoints disabled, failing or throttled, with
 * bulk re-enable and bulk recover. Recover first shows how many failed deliveries it would send
 * again (a dry run, nothing changed); only the confirming POST starts the recover tasks, the same
 * tasks as {@code POST …/endpoint/{id}/recover}.
 */
final class HealthPages {
  static final int LISTED = 250;
  static final Map<String, Duration> SINCE =
      Map.of("1h", Duration.ofHours(1), "24h", Duration.ofHours(24), "7d", Duration.ofDays(7));

  private static final HealthView.Result NOTHING_TICKED =
      new HealthView.Result("Tick at least one endpoint first.", null);

  private final DashboardServices services;
  private final DashboardRequests requests;
  private final OrgViewStore store = new OrgViewStore();
  private final DeliveryStore deliveries = new DeliveryStore();

  HealthPages(DashboardServices services, DashboardRequests requests) {
    this.services = services;
    this.requests = requests;
  }

  void register(RoutesConfig routes) {
    routes.get("/dashboard/endpoints", requests.page(ctx -> board(ctx, 200, null)));
    routes.post("/dashboard/endpoints/enable", requests.page(this::enable));
    routes.post("/dashboard/endpoints/recover", requests.page(this::recover));
  }

  private void board(Context ctx, int status, HealthView.Result result) {
    var s = requests.session(ctx);
    boolean all = "all".equals(ctx.queryParam("show"));
    List<EndpointRow> rows =
        services.database().read(sql -> store.endpoints(sql, s.principal().orgId(), !all, LISTED));
    requests
        .pages()
        .render(
            ctx,
            status,
            "dashboard/endpoints.jte",
            new HealthView(new Frame(s.csrfToken(), "endpoints"), all, rows, result));
  }

  private void enable(Context ctx) {
    var s = requests.changing(ctx);
    String orgId = s.principal().orgId();
    List<EndpointRow> chosen = chosen(ctx, orgId);
    if (chosen.isEmpty()) {
      board(ctx, 422, NOTHING_TICKED);
      return;
    }
    BodyReader enabled = new BodyReader(Json.tree("{\"disabled\":false}"));
    for (EndpointRow e : chosen) {
      services
          .endpoints()
          .patch(orgId, e.appId(), e.id(), current -> EndpointIn.patch(current, enabled));
    }
    board(ctx, 200, new HealthView.Result(chosen.size() + " endpoint(s) enabled.", null));
  }

  private void recover(Context ctx) {
    var s = requests.changing(ctx);
    String orgId = s.principal().orgId();
    List<EndpointRow> chosen = chosen(ctx, orgId);
    if (chosen.isEmpty()) {
      board(ctx, 422, NOTHING_TICKED);
      return;
    }
    String sinceName = ctx.formParam("since");
    Duration back = SINCE.getOrDefault(sinceName, Duration.ofHours(24));
    Instant now = services.clock().instant();
    Instant since = now.minus(back);
    long count =
        services
            .database()
            .readByTenant(
                sql ->
                    chosen.stream()
                        .mapToLong(e -> deliveries.countFailed(sql, e.id(), since, now))
                        .sum());
    if (!"true".equals(ctx.formParam("confirm"))) {
      board(
          ctx,
          200,
          new HealthView.Result(
              null,
              new HealthView.DryRun(
                  chosen.stream().map(EndpointRow::id).toList(), sinceName, count, chosen.size())));
      return;
    }
    try {
      for (EndpointRow e : chosen) {
        services.tasks().startRecover(orgId, e.appId(), e.id(), since, null);
      }
    } catch (ValidationFailed v) {
      board(ctx, 422, new HealthView.Result(v.items().getFirst().msg(), null));
      return;
    }
    board(
        ctx,
        200,
        new HealthView.Result(
            "Recovering " + count + " failed deliveries of " + chosen.size() + " endpoint(s).",
            null));
  }

  /** The ticked endpoints that are the org's (an id of another org is ignored, not revealed). */
  /**
   * The ticked endpoints of the org, read by id. At most a board's worth: the board lists {@link
   * #LISTED}, so more ids than that did not come from it.
   */
  private List<EndpointRow> chosen(Context ctx, String orgId) {
    List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(ctx.formParams("endpoint")));
    if (ids.size() > LISTED) {
      throw ValidationFailed.of(
          "endpoint", "at most " + LISTED + " endpoints at a time", "value_error.list.max_items");
    }
    return services.database().read(sql -> store.endpointsById(sql, orgId, ids));
  }
}
