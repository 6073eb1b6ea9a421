package dev.herald.page;

import io.javalin.http.Context;
import java.util.List;

/**
 * The response headers of Herald's HTML pages (portal, dashboard): scripts and styles only from
 * this node and no inline ones, never framed, no referrer (a link code or page address must not
 * travel to the sites a page links to), never cached.
 */
public final class PageHeaders {
  public static final String POLICY = policy(List.of());

  private PageHeaders() {}

  /** The policy for pages the listed origins may frame (none: no page may). */
  public static String policy(List<String> frameAncestors) {
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
        + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors "
        + (frameAncestors.isEmpty() ? "'none'" : String.join(" ", frameAncestors));
  }

  public static void apply(Context ctx) {
    apply(ctx, List.of(), POLICY);
  }

  /**
   * The headers of a page the listed origins may frame; {@code policy} is {@link #policy} of the
   * same list (computed once by the caller).
   */
  public static void apply(Context ctx, List<String> frameAncestors, String policy) {
    ctx.header("Content-Security-Policy", policy);
    if (frameAncestors.isEmpty()) {
      ctx.header("X-Frame-Options", "DENY");
    }
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
  }
}
