package dev.herald.portal;

import dev.herald.application.ApplicationService;
import dev.herald.auth.Capability;
import dev.herald.auth.PortalSession;
import dev.herald.auth.PortalSessions;
import dev.herald.auth.Principal;
import dev.herald.config.PortalConfig;
import dev.herald.error.Forbidden;
import dev.herald.error.HeraldException;
import dev.herald.error.NotFound;
import dev.herald.error.Unauthorized;
import dev.herald.page.PageHeaders;
import dev.herald.page.Refusals;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * What every portal page shares: the response headers, the session the cookie names, the CSRF and
 * capability checks, and the pages shown when they refuse. Page groups ({@link EndpointPages}, …)
 * take one of these and register their routes through {@link #page}.
 */
final class PortalRequests {
  static final String COOKIE = "herald_portal";
  static final String CSRF_FIELD = "_csrf";

  /** A page handler: may throw the portal's refusals, which {@link #page} turns into pages. */
  @FunctionalInterface
  interface Page {
    void handle(Context ctx) throws Exception;
  }

  private final PortalSessions sessions;
  private final ApplicationService apps;
  private final PortalPages pages;
  private final PortalConfig config;
  private final Supplier<String> publicUrl;
  private final InstantSource clock;
  private final String pagePolicy;

  PortalRequests(PortalServices services, PortalPages pages) {
    this.sessions = services.sessions();
    this.apps = services.applications();
    this.pages = pages;
    this.config = services.config();
    this.publicUrl = services.publicUrl();
    this.clock = services.clock();
    // Framed only by the origins HERALD_PORTAL_FRAME_ANCESTORS lists.
    this.pagePolicy = PageHeaders.policy(config.frameAncestors());
  }

  /**
   * What the page shows around its content. A request naming theme parameters also makes them the
   * session's theme (a cookie) for the pages after it.
   */
  PortalFrame frame(Context ctx, PortalSession s, String section) {
    PortalTheme theme = PortalTheme.of(ctx);
    if (PortalTheme.named(ctx)) {
      setCookie(ctx, PortalTheme.COOKIE, theme.cookieValue(), null);
    }
    Principal p = s.principal();
    return new PortalFrame(apps.get(p.orgId(), p.appId()).name(), section, s.csrfToken(), theme);
  }

  PortalPages pages() {
    return pages;
  }

  Handler page(Page h) {
    return ctx -> {
      PageHeaders.apply(ctx, config.frameAncestors(), pagePolicy);
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
      } catch (HeraldException e) {
        // Any other refusal a page did not explain itself: a page with the API's status.
        pages.message(ctx, Refusals.status(e), new MessageView("That did not work", explain(e)));
      }
    };
  }

  /**
   * Sets a portal cookie: sent only to {@code /portal}, never readable by scripts, Secure behind
   * https. Kept on plain top-level navigations from other sites (Lax) but not on their POSTs; when
   * framing is allowed the portal runs inside another site's page, where only a {@code
   * SameSite=None} cookie is sent, so it is that, Secure and Partitioned (kept apart per embedding
   * site) instead, and the CSRF token alone guards the forms.
   *
   * @param expiresAt when the cookie ends, or null for the browser session
   */
  void setCookie(Context ctx, String name, String value, Instant expiresAt) {
    StringBuilder c = new StringBuilder(name).append('=').append(value);
    c.append("; Path=/portal; HttpOnly");
    if (expiresAt != null) {
      c.append("; Max-Age=")
          .append(Math.max(0, Duration.between(clock.instant(), expiresAt).toSeconds()));
    }
    if (config.framable()) {
      c.append("; SameSite=None; Secure; Partitioned");
    } else {
      c.append("; SameSite=Lax");
      if (publicUrl.get().regionMatches(true, 0, "https:", 0, 6)) {
        c.append("; Secure");
      }
    }
    ctx.res().addHeader("Set-Cookie", c.toString());
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

  /** A refusal as one line for the page, fields named by their form labels. */
  static String explain(HeraldException e) {
    return Refusals.explain(e, EndpointForm::label);
  }
}
