package dev.herald.portal;

import dev.herald.auth.PortalSession;
import dev.herald.auth.Principal;
import dev.herald.store.PageRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code /portal/event-types}: the event catalogue, as {@code GET /api/v1/event-type} lists it for
 * the session's token (archived types left out, types behind a feature flag the token lacks
 * hidden), with schemas and examples.
 */
final class CataloguePage {
  private static final int LISTED = PageRequest.MAX_LIMIT;

  private final PortalServices services;
  private final PortalRequests requests;

  CataloguePage(PortalServices services, PortalRequests requests) {
    this.services = services;
    this.requests = requests;
  }

  void register(RoutesConfig routes) {
    routes.get("/portal/event-types", requests.page(this::catalogue));
  }

  private void catalogue(Context ctx) {
    PortalSession s = requests.session(ctx);
    Principal p = s.principal();
    var page =
        services
            .eventTypes()
            .list(p.orgId(), p.featureFlags(), false, true, new PageRequest(LISTED, null, false));
    var view =
        new CatalogueView(
            requests.frame(ctx, s, "catalogue"), CatalogueView.group(page.data()), !page.done());
    requests.pages().render(ctx, 200, "portal/event-types.jte", view);
  }
}
