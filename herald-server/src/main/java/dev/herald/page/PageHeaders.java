package dev.herald.page;

import io.javalin.http.Context;

/**
 * The response headers of Herald's HTML pages (portal, dashboard): scripts and styles only from
 * this node and no inline ones, never framed, no referrer (a link code or page address must not
 * travel to the sites a page links to), never cached.
 */
public final class PageHeaders {
  public static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private PageHeaders() {}

  public static void apply(Context ctx) {
    ctx.header("Content-Security-Policy", POLICY);
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
  }
}
