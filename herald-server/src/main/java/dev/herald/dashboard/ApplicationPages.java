package dev.herald.dashboard;

import dev.herald.auth.AuthService;
import dev.herald.auth.Capability;
import dev.herald.auth.PortalGrant;
import dev.herald.store.OrgViewStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Set;

/**
 * The org's applications with a search, and "open this application's portal": a portal link made by
 * the same code as {@code POST /api/v1/auth/app-portal-access/{app_id}}, read-only (ViewBase)
 * unless the operator ticks "allow changes"; the browser is sent straight to it.
 */
final class ApplicationPages {
  static final int LISTED = 100;

  private final DashboardServices services;
  private final DashboardRequests requests;
  private final OrgViewStore store = new OrgViewStore();

  ApplicationPages(DashboardServices services, DashboardRequests requests) {
    this.services = services;
    this.requests = requests;
  }

  void register(RoutesConfig routes) {
    routes.get("/dashboard/applications", requests.page(this::list));
    routes.post("/dashboard/applications/{app_id}/portal", requests.page(this::openPortal));
  }

  private void list(Context ctx) {
    var s = requests.session(ctx);
    String q = ctx.queryParam("q");
    String search = q == null || q.isBlank() ? null : q.strip();
    var apps =
        services
            .database()
            .read(sql -> store.applications(sql, s.principal().orgId(), search, LISTED));
    requests
        .pages()
        .render(
            ctx,
            200,
            "dashboard/applications.jte",
            new ApplicationsView(
                new Frame(s.csrfToken(), "applications"), search == null ? "" : search, apps));
  }

  private void openPortal(Context ctx) {
    var s = requests.changing(ctx);
    String orgId = s.principal().orgId();
    var app = services.applications().get(orgId, ctx.pathParam("app_id"));
    boolean allowChanges = "true".equals(ctx.formParam("allowChanges"));
    PortalGrant grant =
        new PortalGrant(
            allowChanges ? Capability.all() : Set.of(Capability.VIEW_BASE),
            Set.of(),
            "dashboard-" + s.keyId(),
            services.portalTokenTtl());
    AuthService.PortalAccess access = services.auth().issuePortalAccess(orgId, app.id(), grant);
    // A relative link: the portal is on this origin, whatever HERALD_PUBLIC_URL says.
    ctx.redirect("/portal/open?code=" + access.linkCode(), HttpStatus.SEE_OTHER);
  }
}
