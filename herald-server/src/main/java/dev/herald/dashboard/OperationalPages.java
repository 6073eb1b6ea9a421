package dev.herald.dashboard;

import dev.herald.endpoint.Endpoint;
import dev.herald.endpoint.EndpointIn;
import dev.herald.error.HeraldException;
import dev.herald.json.BodyReader;
import dev.herald.json.Json;
import dev.herald.operational.OperationalEvents;
import dev.herald.page.Refusals;
import dev.herald.store.PageRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;

/**
 * Operational-webhook endpoints: where Herald reports on itself (endpoint disabled, attempts
 * failing, …). The org-level endpoint service of {@code /api/v1/operational-webhook/endpoint}.
 */
final class OperationalPages {
  private final DashboardServices services;
  private final DashboardRequests requests;

  OperationalPages(DashboardServices services, DashboardRequests requests) {
    this.services = services;
    this.requests = requests;
  }

  void register(RoutesConfig routes) {
    routes.get("/dashboard/operational-webhooks", requests.page(ctx -> list(ctx, 200, null, null)));
    routes.post("/dashboard/operational-webhooks", requests.page(this::create));
    routes.post(
        "/dashboard/operational-webhooks/{endpoint_id}/delete", requests.page(this::delete));
  }

  private void list(Context ctx, int status, OperationalView.Form form, String error) {
    var s = requests.session(ctx);
    List<Endpoint> endpoints =
        services
            .operationalEndpoints()
            .list(s.principal().orgId(), "", new PageRequest(PageRequest.MAX_LIMIT, null, false))
            .data();
    requests
        .pages()
        .render(
            ctx,
            status,
            "dashboard/operational.jte",
            new OperationalView(
                new Frame(s.csrfToken(), "operational"),
                endpoints,
                OperationalEvents.TYPES,
                form == null ? OperationalView.Form.EMPTY : form,
                error));
  }

  private void create(Context ctx) {
    var s = requests.changing(ctx);
    OperationalView.Form form =
        new OperationalView.Form(
            value(ctx.formParam("url")),
            ctx.formParams("eventTypes"),
            value(ctx.formParam("description")));
    var body = Json.MAPPER.createObjectNode();
    body.put("url", form.url());
    body.put("description", form.description());
    if (!form.eventTypes().isEmpty()) {
      form.eventTypes().forEach(body.putArray("filterTypes")::add);
    }
    try {
      EndpointIn in = EndpointIn.read(new BodyReader(body));
      services.operationalEndpoints().create(s.principal().orgId(), "", in);
    } catch (HeraldException e) {
      list(ctx, Refusals.status(e), form, Refusals.explain(e));
      return;
    }
    ctx.redirect("/dashboard/operational-webhooks", HttpStatus.SEE_OTHER);
  }

  private void delete(Context ctx) {
    var s = requests.changing(ctx);
    services.operationalEndpoints().delete(s.principal().orgId(), "", ctx.pathParam("endpoint_id"));
    ctx.redirect("/dashboard/operational-webhooks", HttpStatus.SEE_OTHER);
  }

  private static String value(String v) {
    return v == null ? "" : v.strip();
  }
}
