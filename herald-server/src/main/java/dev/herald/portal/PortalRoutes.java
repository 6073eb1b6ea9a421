package dev.herald.portal;

import dev.herald.auth.PortalSession;
import dev.herald.auth.PortalSessions.AlreadyUsed;
import dev.herald.auth.PortalSessions.Expired;
import dev.herald.auth.PortalSessions.Opened;
import dev.herald.auth.PortalSessions.Unknown;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * {@code /portal}: the customer portal, server-rendered. A single-use link ({@code /portal/open})
 * becomes a session cookie; every page reads the session's rights from the portal token it was
 * opened with, and every change needs the session's CSRF token and the capability it uses. The
 * pages themselves are registered by their groups ({@link EndpointPages}).
 */
public final class PortalRoutes {
  private static final Pattern NEXT =
      Pattern.compile("/portal(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*){0,4}");

  private final PortalServices services;
  private final PortalRequests requests;
  private final PortalAssets assets = new PortalAssets();

  public PortalRoutes(PortalServices services) {
    this.services = services;
    this.requests = new PortalRequests(services, new PortalPages());
  }

  public void register(RoutesConfig routes) {
    routes.get("/portal/open", requests.page(this::open));
    routes.post("/portal/logout", requests.page(this::logout));
    routes.get("/portal/signed-out", requests.page(this::signedOut));
    routes.get("/portal/assets/{file}", assets::serve);
    routes.get("/portal/theme.css", PortalRoutes::themeStylesheet);
    EndpointPages endpointPages = new EndpointPages(services, requests);
    endpointPages.register(routes);
    new EndpointDetailPages(services, requests, endpointPages).register(routes);
    new MessagePages(services, requests).register(routes);
  }

  private void open(Context ctx) {
    PortalPages pages = requests.pages();
    switch (services.sessions().open(ctx.queryParam("code"))) {
      case Opened o -> {
        requests.setCookie(ctx, PortalRequests.COOKIE, o.secret(), o.expiresAt());
        if (PortalTheme.named(ctx)) {
          requests.setCookie(
              ctx, PortalTheme.COOKIE, PortalTheme.fromQuery(ctx).cookieValue(), null);
        }
        ctx.redirect(next(ctx.queryParam("next")), HttpStatus.SEE_OTHER);
      }
      case AlreadyUsed u ->
          pages.message(
              ctx,
              410,
              new MessageView(
                  "This link has already been used",
                  "A portal link opens the portal once. Ask the application that sent you here"
                      + " for a new link."));
      case Expired x ->
          pages.message(
              ctx,
              410,
              new MessageView(
                  "This link has expired",
                  "Ask the application that sent you here for a new link."));
      case Unknown n ->
          pages.message(
              ctx,
              403,
              new MessageView(
                  "This link is not valid",
                  "Check that the whole link was copied, or ask for a new one."));
    }
  }

  /**
   * The theme's colours as CSS variables: a stylesheet of its own, since the page's policy allows
   * no inline style. The parameters are validated (six hex digits), so nothing else reaches it.
   */
  private static void themeStylesheet(Context ctx) {
    PortalTheme theme = PortalTheme.fromQuery(ctx);
    ctx.header("Cache-Control", "public, max-age=86400");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.contentType("text/css; charset=utf-8").result(ThemeStylesheet.of(theme));
  }

  /**
   * Where an opened link leads: {@code next} when it is a page of this portal (a path such as
   * {@code /portal/endpoints/ep_…}), else the endpoints page. Only such paths, so a link cannot
   * send the reader to another site.
   */
  static String next(String next) {
    return next != null && NEXT.matcher(next).matches() ? next : "/portal";
  }

  private void logout(Context ctx) {
    PortalSession s = requests.session(ctx);
    PortalRequests.requireCsrf(ctx, s);
    services.sessions().end(ctx.cookie(PortalRequests.COOKIE));
    requests.setCookie(ctx, PortalRequests.COOKIE, "", Instant.EPOCH);
    // A redirect, so that reloading the page that follows does not send the form again.
    ctx.redirect("/portal/signed-out", HttpStatus.SEE_OTHER);
  }

  private void signedOut(Context ctx) {
    requests
        .pages()
        .message(
            ctx,
            200,
            new MessageView(
                "You are signed out",
                "Open the portal again from the application that sent you here."));
  }
}
