package dev.herald.portal;

import dev.herald.auth.PortalSession;
import dev.herald.auth.PortalSessions.AlreadyUsed;
import dev.herald.auth.PortalSessions.Expired;
import dev.herald.auth.PortalSessions.Opened;
import dev.herald.auth.PortalSessions.Unknown;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code /portal}: the customer portal, server-rendered. A single-use link ({@code /portal/open})
 * becomes a session cookie; every page reads the session's rights from the portal token it was
 * opened with, and every change needs the session's CSRF token and the capability it uses. The
 * pages themselves are registered by their groups ({@link EndpointPages}).
 */
public final class PortalRoutes {
  private final PortalServices services;
  private final PortalRequests requests;
  private final PortalAssets assets = new PortalAssets();

  public PortalRoutes(PortalServices services) {
    this.services = services;
    this.requests = new PortalRequests(services.sessions(), new PortalPages());
  }

  public void register(RoutesConfig routes) {
    routes.get("/portal/open", requests.page(this::open));
    routes.post("/portal/logout", requests.page(this::logout));
    routes.get("/portal/signed-out", requests.page(this::signedOut));
    routes.get("/portal/assets/{file}", assets::serve);
    new EndpointPages(services, requests).register(routes);
  }

  private void open(Context ctx) {
    PortalPages pages = requests.pages();
    switch (services.sessions().open(ctx.queryParam("code"))) {
      case Opened o -> {
        ctx.header("Set-Cookie", cookie(o.secret(), o.expiresAt()));
        ctx.redirect("/portal", HttpStatus.SEE_OTHER);
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

  private void logout(Context ctx) {
    PortalSession s = requests.session(ctx);
    PortalRequests.requireCsrf(ctx, s);
    services.sessions().end(ctx.cookie(PortalRequests.COOKIE));
    ctx.header("Set-Cookie", cookie("", Instant.EPOCH));
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

  /**
   * The session cookie: sent only to {@code /portal}, never readable by scripts, kept on plain top
   * level navigations from other sites (Lax) but not on their POSTs, Secure behind https.
   */
  private String cookie(String value, Instant expiresAt) {
    long maxAge =
        expiresAt == null
            ? -1
            : Math.max(0, Duration.between(services.clock().instant(), expiresAt).toSeconds());
    StringBuilder c = new StringBuilder(PortalRequests.COOKIE).append('=').append(value);
    c.append("; Path=/portal; HttpOnly; SameSite=Lax");
    if (maxAge >= 0) {
      c.append("; Max-Age=").append(maxAge);
    }
    if (services.publicUrl().get().regionMatches(true, 0, "https:", 0, 6)) {
      c.append("; Secure");
    }
    return c.toString();
  }
}
