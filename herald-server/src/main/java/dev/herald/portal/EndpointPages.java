package dev.herald.portal;

import dev.herald.auth.Capability;
import dev.herald.auth.PortalSession;
import dev.herald.auth.Principal;
import dev.herald.endpoint.EndpointIn;
import dev.herald.error.BadRequest;
import dev.herald.error.Conflict;
import dev.herald.error.NotFound;
import dev.herald.error.ValidationFailed;
import dev.herald.json.BodyReader;
import dev.herald.store.PageRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/** The portal's endpoint pages: the list with its create form. */
final class EndpointPages {
  private static final int LISTED_ENDPOINTS = PageRequest.MAX_LIMIT;

  private final PortalServices services;
  private final PortalRequests requests;

  EndpointPages(PortalServices services, PortalRequests requests) {
    this.services = services;
    this.requests = requests;
  }

  void register(RoutesConfig routes) {
    routes.get("/portal", requests.page(this::endpointsPage));
    routes.post("/portal/endpoints", requests.page(this::createEndpoint));
  }

  private void endpointsPage(Context ctx) {
    renderEndpoints(ctx, 200, requests.session(ctx), EndpointForm.EMPTY, null);
  }

  private void createEndpoint(Context ctx) {
    PortalSession s = requests.changing(ctx, Capability.MANAGE_ENDPOINT);
    EndpointForm form = EndpointForm.read(ctx);
    Principal p = s.principal();
    try {
      EndpointIn in = EndpointIn.read(new BodyReader(form.body()));
      if (p.featureFlags().restricted()) {
        services.eventTypes().refuseHidden(p.orgId(), p.featureFlags(), form.eventTypeNames());
      }
      services.endpoints().create(p.orgId(), p.appId(), in);
    } catch (ValidationFailed | NotFound | Conflict | BadRequest e) {
      renderEndpoints(ctx, PortalRequests.status(e), s, form, PortalRequests.explain(e));
      return;
    }
    ctx.redirect("/portal", HttpStatus.SEE_OTHER);
  }

  private void renderEndpoints(
      Context ctx, int status, PortalSession s, EndpointForm form, String error) {
    Principal p = s.principal();
    var page =
        services
            .endpoints()
            .list(p.orgId(), p.appId(), new PageRequest(LISTED_ENDPOINTS, null, false));
    requests
        .pages()
        .endpoints(
            ctx,
            status,
            new EndpointsView(
                requests.frame(ctx, s, "endpoints"),
                page.data(),
                !page.done(),
                p.can(Capability.MANAGE_ENDPOINT),
                form,
                error));
  }
}
