package dev.herald.portal;

import dev.herald.application.ApplicationService;
import dev.herald.auth.Capability;
import dev.herald.auth.PortalSession;
import dev.herald.auth.PortalSessions;
import dev.herald.auth.PortalSessions.AlreadyUsed;
import dev.herald.auth.PortalSessions.Expired;
import dev.herald.auth.PortalSessions.Opened;
import dev.herald.auth.PortalSessions.Unknown;
import dev.herald.auth.Principal;
import dev.herald.endpoint.EndpointIn;
import dev.herald.endpoint.EndpointService;
import dev.herald.error.BadRequest;
import dev.herald.error.Conflict;
import dev.herald.error.Forbidden;
import dev.herald.error.HeraldException;
import dev.herald.error.NotFound;
import dev.herald.error.Unauthorized;
import dev.herald.error.ValidationFailed;
import dev.herald.eventtype.EventTypeService;
import dev.herald.json.BodyReader;
import dev.herald.store.PageRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code /portal}: the customer portal, server-rendered. A single-use link ({@code /portal/open})
 * becomes a session cookie; every page reads the session's rights from the portal token it was
 * opened with, and every change needs the session's CSRF token and the capability it uses.
 */
public final class PortalRoutes {
  static final String COOKIE = "herald_portal";
  static final String CSRF_FIELD = "_csrf";
  private static final int LISTED_ENDPOINTS = PageRequest.MAX_LIMIT;

  // Scripts only from this node (htmx), no inline script or style, never framed.
  static final String PAGE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  @FunctionalInterface
  private interface Page {
    void handle(Context ctx) throws Exception;
  }

  private final PortalSessions sessions;
  private final ApplicationService apps;
  private final EndpointService endpoints;
  private final EventTypeService eventTypes;
  private final Supplier<String> publicUrl;
  private final InstantSource clock;
  private final PortalPages pages = new PortalPages();
  private final PortalAssets assets = new PortalAssets();

  public PortalRoutes(
      PortalSessions sessions,
      ApplicationService apps,
      EndpointService endpoints,
      EventTypeService eventTypes,
      Supplier<String> publicUrl,
      InstantSource clock) {
    this.sessions = sessions;
    this.apps = apps;
    this.endpoints = endpoints;
    this.eventTypes = eventTypes;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.get("/portal/open", page(this::open));
    routes.get("/portal", page(this::endpointsPage));
    routes.post("/portal/endpoints", page(this::createEndpoint));
    routes.post("/portal/logout", page(this::logout));
    routes.get("/portal/signed-out", page(this::signedOut));
    routes.get("/portal/assets/{file}", assets::serve);
  }

  private Handler page(Page h) {
    return ctx -> {
      ctx.header("Content-Security-Policy", PAGE_POLICY);
      ctx.header("X-Frame-Options", "DENY");
      ctx.header("X-Content-Type-Options", "nosniff");
      // A link code or page address must not travel to the sites an endpoint URL links to.
      ctx.header("Referrer-Policy", "no-referrer");
      ctx.header("Cache-Control", "no-store");
      try {
        h.handle(ctx);
      } catch (Unauthorized e) {
        pages.message(
            ctx,
            401,
            new MessageView(
                "Your portal session has ended",
                "Open the portal again from the application that sent you here."));
      } catch (Forbidden e) {
        pages.message(ctx, 403, new MessageView("Not allowed", e.detail()));
      }
    };
  }

  private void open(Context ctx) {
    switch (sessions.open(ctx.queryParam("code"))) {
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

  private void endpointsPage(Context ctx) {
    renderEndpoints(ctx, 200, session(ctx), EndpointForm.EMPTY, null);
  }

  private void createEndpoint(Context ctx) {
    PortalSession s = session(ctx);
    requireCsrf(ctx, s);
    require(s, Capability.MANAGE_ENDPOINT);
    EndpointForm form = EndpointForm.read(ctx);
    Principal p = s.principal();
    try {
      EndpointIn in = EndpointIn.read(new BodyReader(form.body()));
      if (p.featureFlags().restricted()) {
        eventTypes.refuseHidden(p.orgId(), p.featureFlags(), form.eventTypeNames());
      }
      endpoints.create(p.orgId(), p.appId(), in);
    } catch (ValidationFailed | NotFound | Conflict | BadRequest e) {
      renderEndpoints(ctx, status(e), s, form, explain(e));
      return;
    }
    ctx.redirect("/portal", HttpStatus.SEE_OTHER);
  }

  private void logout(Context ctx) {
    PortalSession s = session(ctx);
    requireCsrf(ctx, s);
    sessions.end(ctx.cookie(COOKIE));
    ctx.header("Set-Cookie", cookie("", Instant.EPOCH));
    // A redirect, so that reloading the page that follows does not send the form again.
    ctx.redirect("/portal/signed-out", HttpStatus.SEE_OTHER);
  }

  private void signedOut(Context ctx) {
    pages.message(
        ctx,
        200,
        new MessageView(
            "You are signed out",
            "Open the portal again from the application that sent you here."));
  }

  private void renderEndpoints(
      Context ctx, int status, PortalSession s, EndpointForm form, String error) {
    Principal p = s.principal();
    var page = endpoints.list(p.orgId(), p.appId(), new PageRequest(LISTED_ENDPOINTS, null, false));
    pages.endpoints(
        ctx,
        status,
        new EndpointsView(
            apps.get(p.orgId(), p.appId()).name(),
            page.data(),
            !page.done(),
            p.can(Capability.MANAGE_ENDPOINT),
            s.csrfToken(),
            form,
            error));
  }

  private PortalSession session(Context ctx) {
    return sessions
        .find(ctx.cookie(COOKIE))
        .orElseThrow(() -> new Unauthorized("no open portal session"));
  }

  private static void requireCsrf(Context ctx, PortalSession s) {
    if (!s.csrfMatches(ctx.formParam(CSRF_FIELD))) {
      throw new Forbidden(
          "csrf_mismatch",
          "This form is out of date or was sent from another site. Reload the page and try again.");
    }
  }

  private static void require(PortalSession s, Capability needed) {
    if (!s.principal().can(needed)) {
      throw new Forbidden(
          "insufficient_capability",
          "This portal session may not do that (it lacks " + needed.wireName() + ").");
    }
  }

  /**
   * The session cookie: sent only to {@code /portal}, never readable by scripts, kept on plain top
   * level navigations from other sites (Lax) but not on their POSTs, Secure behind https.
   */
  private String cookie(String value, Instant expiresAt) {
    long maxAge =
        expiresAt == null
            ? -1
            : Math.max(0, Duration.between(clock.instant(), expiresAt).toSeconds());
    StringBuilder c = new StringBuilder(COOKIE).append('=').append(value);
    c.append("; Path=/portal; HttpOnly; SameSite=Lax");
    if (maxAge >= 0) {
      c.append("; Max-Age=").append(maxAge);
    }
    if (publicUrl.get().regionMatches(true, 0, "https:", 0, 6)) {
      c.append("; Secure");
    }
    return c.toString();
  }

  private static int status(HeraldException e) {
    return switch (e) {
      case ValidationFailed v -> 422;
      case NotFound n -> 404;
      case Conflict c -> 409;
      case BadRequest b -> 400;
      default -> 400;
    };
  }

  private static String explain(HeraldException e) {
    if (e instanceof ValidationFailed v) {
      return v.items().stream()
          .map(i -> EndpointForm.label(i.loc().getLast()) + ": " + i.msg())
          .collect(Collectors.joining("; "));
    }
    return e.detail();
  }
}
