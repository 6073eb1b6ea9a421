package dev.herald.portal;

import dev.herald.auth.Capability;
import dev.herald.auth.PortalSession;
import dev.herald.auth.PortalSessions;
import dev.herald.error.BadRequest;
import dev.herald.error.Conflict;
import dev.herald.error.Forbidden;
import dev.herald.error.HeraldException;
import dev.herald.error.NotFound;
import dev.herald.error.Unauthorized;
import dev.herald.error.ValidationFailed;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.stream.Collectors;

/**
 * What every portal page shares: the response headers, the session the cookie names, the CSRF and
 * capability checks, and the pages shown when they refuse. Page groups ({@link EndpointPages}, …)
 * take one of these and register their routes through {@link #page}.
 */
final class PortalRequests {
  static final String COOKIE = "herald_portal";
  static final String CSRF_FIELD = "_csrf";

  // Scripts only from this node (htmx), no inline script or style, never framed.
  static final String PAGE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  /** A page handler: may throw the portal's refusals, which {@link #page} turns into pages. */
  @FunctionalInterface
  interface Page {
    void handle(Context ctx) throws Exception;
  }

  private final PortalSessions sessions;
  private final PortalPages pages;

  PortalRequests(PortalSessions sessions, PortalPages pages) {
    this.sessions = sessions;
    this.pages = pages;
  }

  PortalPages pages() {
    return pages;
  }

  Handler page(Page h) {
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
      } catch (NotFound e) {
        pages.message(ctx, 404, new MessageView("Not found", e.detail()));
      }
    };
  }

  PortalSession session(Context ctx) {
    return sessions
        .find(ctx.cookie(COOKIE))
        .orElseThrow(() -> new Unauthorized("no open portal session"));
  }

  /** The session of a form's POST: its CSRF token must match and it must hold {@code needed}. */
  PortalSession changing(Context ctx, Capability needed) {
    PortalSession s = session(ctx);
    requireCsrf(ctx, s);
    require(s, needed);
    return s;
  }

  static void requireCsrf(Context ctx, PortalSession s) {
    if (!s.csrfMatches(ctx.formParam(CSRF_FIELD))) {
      throw new Forbidden(
          "csrf_mismatch",
          "This form is out of date or was sent from another site. Reload the page and try again.");
    }
  }

  static void require(PortalSession s, Capability needed) {
    if (!s.principal().can(needed)) {
      throw new Forbidden(
          "insufficient_capability",
          "This portal session may not do that (it lacks " + needed.wireName() + ").");
    }
  }

  /** The status a refused form is answered with (the API's for the same refusal). */
  static int status(HeraldException e) {
    return switch (e) {
      case ValidationFailed v -> 422;
      case NotFound n -> 404;
      case Conflict c -> 409;
      case BadRequest b -> 400;
      default -> 400;
    };
  }

  /** A refusal as one line for the page, fields named by their form labels. */
  static String explain(HeraldException e) {
    if (e instanceof ValidationFailed v) {
      return v.items().stream()
          .map(i -> EndpointForm.label(i.loc().getLast()) + ": " + i.msg())
          .collect(Collectors.joining("; "));
    }
    return e.detail();
  }
}
