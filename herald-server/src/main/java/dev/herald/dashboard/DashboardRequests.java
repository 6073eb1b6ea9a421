package dev.herald.dashboard;

import dev.herald.auth.ApiKeyHash;
import dev.herald.auth.DashboardSession;
import dev.herald.auth.DashboardSessions;
import dev.herald.error.Forbidden;
import dev.herald.error.HeraldException;
import dev.herald.error.NotFound;
import dev.herald.error.Unauthorized;
import dev.herald.page.PageHeaders;
import dev.herald.page.Refusals;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * What every dashboard page shares: the response headers, the session the cookie names, the CSRF
 * check, and the pages shown when they refuse. Page groups register their routes through {@link
 * #page}.
 */
final class DashboardRequests {
  static final String COOKIE = "herald_dashboard";
  static final String CSRF_FIELD = "_csrf";

  // Scripts only from this node (htmx, uPlot, dashboard.js), no inline script or style, never
  // framed.
  static final String PAGE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  /** A page handler: may throw the dashboard's refusals, which {@link #page} turns into pages. */
  @FunctionalInterface
  interface Page {
    void handle(Context ctx) throws Exception;
  }

  private final DashboardSessions sessions;
  private final DashboardPages pages;
  private final DashboardCookies cookies;

  DashboardRequests(DashboardSessions sessions, DashboardPages pages, DashboardCookies cookies) {
    this.sessions = sessions;
    this.pages = pages;
    this.cookies = cookies;
  }

  DashboardPages pages() {
    return pages;
  }

  DashboardCookies cookies() {
    return cookies;
  }

  /** The sign-in form, with a fresh sign-in token in its cookie and its hidden field. */
  void login(Context ctx, int status, String error) {
    String token = ApiKeyHash.newKey("");
    ctx.res().addHeader("Set-Cookie", cookies.login(token));
    pages.login(ctx, status, new LoginView(token, error));
  }

  Handler page(Page h) {
    return ctx -> {
      PageHeaders.apply(ctx);
      try {
        h.handle(ctx);
      } catch (Unauthorized e) {
        // The sign-in form itself, so the operator can carry on from here.
        login(ctx, 401, "Your dashboard session has ended. Sign in again.");
      } catch (Forbidden e) {
        pages.message(ctx, 403, new MessageView("Not allowed", e.detail()));
      } catch (NotFound e) {
        pages.message(ctx, 404, new MessageView("Not found", e.detail()));
      } catch (HeraldException e) {
        // Any other refusal a page did not explain itself: a page with the API's status.
        pages.message(
            ctx, Refusals.status(e), new MessageView("That did not work", Refusals.explain(e)));
      }
    };
  }

  DashboardSession session(Context ctx) {
    return sessions
        .find(ctx.cookie(COOKIE))
        .orElseThrow(() -> new Unauthorized("no open dashboard session"));
  }

  /** The session of a form's (or htmx request's) POST: its CSRF token must match. */
  DashboardSession changing(Context ctx) {
    DashboardSession s = session(ctx);
    requireCsrf(ctx, s);
    return s;
  }

  static void requireCsrf(Context ctx, DashboardSession s) {
    String presented = ctx.formParam(CSRF_FIELD);
    if (presented == null) {
      presented = ctx.header("X-CSRF-Token");
    }
    if (!s.csrfMatches(presented)) {
      throw new Forbidden(
          "csrf_mismatch",
          "This form is out of date or was sent from another site. Reload the page and try again.");
    }
  }
}
