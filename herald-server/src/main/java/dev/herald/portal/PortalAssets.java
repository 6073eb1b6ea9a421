package dev.herald.portal;

import dev.herald.page.ServedAssets;
import dev.herald.page.ServedAssets.Asset;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code /portal/assets}: the portal's stylesheet, script and htmx from its WebJar, all from this
 * node.
 */
final class PortalAssets {
  private final ServedAssets assets =
      new ServedAssets(
          "/portal/assets",
          Map.of(
              "htmx.min.js",
              new Asset(
                  ServedAssets.npmWebJar("htmx.org", "dist/htmx.min.js"), ServedAssets.JAVASCRIPT),
              "portal.css",
              new Asset("/portal/portal.css", ServedAssets.CSS),
              "portal.js",
              new Asset("/portal/portal.js", ServedAssets.JAVASCRIPT)));

  void serve(Context ctx) {
    assets.serve(ctx);
  }
}
