package dev.herald.portal;

import dev.herald.attempt.SuccessByHour;
import dev.herald.auth.Capability;
import dev.herald.auth.PortalSession;
import dev.herald.auth.Principal;
import dev.herald.endpoint.Endpoint;
import dev.herald.endpoint.EndpointIn;
import dev.herald.error.BadRequest;
import dev.herald.error.Conflict;
import dev.herald.error.NotFound;
import dev.herald.error.ValidationFailed;
import dev.herald.eventtype.EventType;
import dev.herald.json.BodyReader;
import dev.herald.json.Json;
import dev.herald.page.Refusals;
import dev.herald.store.PageRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The portal's endpoint list and the pages that change endpoints: create, edit, enable or disable,
 * delete (after a confirmation page), and the SSRF guard's answer on a URL as it is typed.
 */
final class EndpointPages {
  private static final int LISTED_ENDPOINTS = 50;
  // Catalogues larger than this are offered in part; the form still keeps an endpoint's types.
  private static final int MAX_CHOICES = 2_000;

  private final PortalServices services;
  private final PortalRequests requests;

  EndpointPages(PortalServices services, PortalRequests requests) {
    this.services = services;
    this.requests = requests;
  }

  void register(RoutesConfig routes) {
    routes.get("/portal", requests.page(this::list));
    routes.get("/portal/endpoints/new", requests.page(this::newForm));
    routes.post("/portal/endpoints", requests.page(this::create));
    routes.get("/portal/url-check", requests.page(this::urlCheck));
    routes.get("/portal/endpoints/{endpointId}/edit", requests.page(this::editForm));
    routes.post("/portal/endpoints/{endpointId}", requests.page(this::update));
    routes.post("/portal/endpoints/{endpointId}/enabled", requests.page(this::setEnabled));
    routes.get("/portal/endpoints/{endpointId}/delete", requests.page(this::confirmDelete));
    routes.post("/portal/endpoints/{endpointId}/delete", requests.page(this::delete));
  }

  private void list(Context ctx) {
    PortalSession s = requests.session(ctx);
    Principal p = s.principal();
    var page =
        services
            .endpoints()
            .list(
                p.orgId(),
                p.appId(),
                new PageRequest(LISTED_ENDPOINTS, ctx.queryParam("iterator"), false));
    var days = services.attemptLog().successByHour(page.data(), services.clock().instant());
    List<EndpointsView.Row> rows = new ArrayList<>();
    for (Endpoint e : page.data()) {
      SuccessByHour day = days.get(e.id());
      rows.add(new EndpointsView.Row(e, day, Sparkline.of(day)));
    }
    requests
        .pages()
        .render(
            ctx,
            200,
            "portal/endpoints.jte",
            new EndpointsView(
                requests.frame(ctx, s, "endpoints"),
                rows,
                page.done() ? null : page.iterator(),
                p.can(Capability.MANAGE_ENDPOINT)));
  }

  private void newForm(Context ctx) {
    PortalSession s = requests.session(ctx);
    PortalRequests.require(s, Capability.MANAGE_ENDPOINT);
    renderForm(ctx, 200, s, null, EndpointForm.EMPTY, null);
  }

  private void create(Context ctx) {
    PortalSession s = requests.changing(ctx, Capability.MANAGE_ENDPOINT);
    EndpointForm form = EndpointForm.read(ctx);
    Principal p = s.principal();
    EventTypeChoices choices = choices(p);
    Endpoint created;
    try {
      EndpointIn in = EndpointIn.read(new BodyReader(form.createBody(choices)));
      if (p.featureFlags().restricted()) {
        services
            .eventTypes()
            .refuseHidden(p.orgId(), p.featureFlags(), form.eventTypeNames(choices));
      }
      created = services.endpoints().create(p.orgId(), p.appId(), in);
    } catch (ValidationFailed | NotFound | Conflict | BadRequest e) {
      renderForm(ctx, Refusals.status(e), s, null, form, PortalRequests.explain(e));
      return;
    }
    ctx.redirect("/portal/endpoints/" + created.id(), HttpStatus.SEE_OTHER);
  }

  private void editForm(Context ctx) {
    PortalSession s = requests.session(ctx);
    PortalRequests.require(s, Capability.MANAGE_ENDPOINT);
    Endpoint e = endpoint(ctx, s);
    renderForm(ctx, 200, s, e, EndpointForm.of(e), null);
  }

  private void update(Context ctx) {
    PortalSession s = requests.changing(ctx, Capability.MANAGE_ENDPOINT);
    Endpoint shown = endpoint(ctx, s);
    EndpointForm form = EndpointForm.read(ctx);
    Principal p = s.principal();
    EventTypeChoices choices = choices(p);
    try {
      services
          .eventTypes()
          .refuseNewlyHidden(
              p.orgId(),
              p.featureFlags(),
              EndpointIn.patch(shown, new BodyReader(form.over(shown).body(choices))).eventTypes(),
              shown.eventTypes());
      // Applied to the endpoint as it is inside the write, so a change made meanwhile elsewhere
      // (another tab, the API) to what the form does not hold is kept.
      services
          .endpoints()
          .patch(
              p.orgId(),
              p.appId(),
              shown.id(),
              current ->
                  EndpointIn.patch(current, new BodyReader(form.over(current).body(choices))));
    } catch (ValidationFailed | NotFound | Conflict | BadRequest e) {
      renderForm(ctx, Refusals.status(e), s, shown, form, PortalRequests.explain(e));
      return;
    }
    ctx.redirect("/portal/endpoints/" + shown.id(), HttpStatus.SEE_OTHER);
  }

  private void setEnabled(Context ctx) {
    PortalSession s = requests.changing(ctx, Capability.MANAGE_ENDPOINT);
    Endpoint current = endpoint(ctx, s);
    boolean enable = "true".equals(ctx.formParam("enabled"));
    var body = Json.MAPPER.createObjectNode().put("disabled", !enable);
    Principal p = s.principal();
    services
        .endpoints()
        .patch(p.orgId(), p.appId(), current.id(), c -> EndpointIn.patch(c, new BodyReader(body)));
    ctx.redirect("/portal/endpoints/" + current.id(), HttpStatus.SEE_OTHER);
  }

  private void confirmDelete(Context ctx) {
    PortalSession s = requests.session(ctx);
    PortalRequests.require(s, Capability.MANAGE_ENDPOINT);
    Endpoint e = endpoint(ctx, s);
    requests
        .pages()
        .render(
            ctx,
            200,
            "portal/endpoint-delete.jte",
            new EndpointDeleteView(requests.frame(ctx, s, "endpoints"), e));
  }

  private void delete(Context ctx) {
    PortalSession s = requests.changing(ctx, Capability.MANAGE_ENDPOINT);
    Endpoint e = endpoint(ctx, s);
    Principal p = s.principal();
    services.endpoints().delete(p.orgId(), p.appId(), e.id());
    ctx.redirect("/portal", HttpStatus.SEE_OTHER);
  }

  /** An htmx fragment: what the SSRF guard says about the URL typed so far. */
  private void urlCheck(Context ctx) {
    // Only for sessions that may save a URL: the answer tells which names resolve where.
    PortalRequests.require(requests.session(ctx), Capability.MANAGE_ENDPOINT);
    String url = ctx.queryParam("url");
    var answer = url == null || url.isBlank() ? null : services.urlCheck().check(url);
    requests.pages().render(ctx, 200, "portal/url-check.jte", new UrlCheckView(answer));
  }

  private void renderForm(
      Context ctx, int status, PortalSession s, Endpoint e, EndpointForm form, String error) {
    Principal p = s.principal();
    EventTypeChoices choices = choices(p);
    List<String> typed = new ArrayList<>(choices.unknown(form.chosen()));
    if (!form.otherTypes().isEmpty()) {
      typed.add(form.otherTypes());
    }
    requests
        .pages()
        .render(
            ctx,
            status,
            "portal/endpoint-form.jte",
            new EndpointFormView(
                requests.frame(ctx, s, "endpoints"),
                e,
                form,
                choices,
                String.join(", ", typed),
                form.url().isEmpty() ? null : services.urlCheck().check(form.url()),
                error));
  }

  Endpoint endpoint(Context ctx, PortalSession s) {
    Principal p = s.principal();
    return services.endpoints().get(p.orgId(), p.appId(), ctx.pathParam("endpointId"));
  }

  /** The event types the session may choose from, all pages of them up to a bound. */
  EventTypeChoices choices(Principal p) {
    List<EventType> all = new ArrayList<>();
    String iterator = null;
    do {
      var page =
          services
              .eventTypes()
              .list(
                  p.orgId(),
                  p.featureFlags(),
                  false,
                  false,
                  new PageRequest(PageRequest.MAX_LIMIT, iterator, false));
      all.addAll(page.data());
      iterator = page.done() ? null : page.iterator();
    } while (iterator != null && all.size() < MAX_CHOICES);
    return EventTypeChoices.of(all);
  }
}
