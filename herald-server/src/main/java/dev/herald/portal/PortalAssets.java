package dev.herald.portal;

import dev.herald.error.NotFound;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /portal/assets}: the portal's stylesheet, script and htmx from its WebJar, all from this
 * node.
 */
final class PortalAssets {
  private static final String HTMX_PROPERTIES =
      "/META-INF/maven/org.webjars.npm/htmx.org/pom.properties";

  private record Asset(String resource, String contentType) {}

  private final Map<String, Asset> assets;
  private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

  PortalAssets() {
    String htmx = "/META-INF/resources/webjars/htmx.org/" + htmxVersion() + "/dist/htmx.min.js";
    // A fixed list: a request names one of these, never a classpath path.
    this.assets =
        Map.of(
            "htmx.min.js", new Asset(htmx, "text/javascript; charset=utf-8"),
            "portal.css", new Asset("/portal/portal.css", "text/css; charset=utf-8"),
            "portal.js", new Asset("/portal/portal.js", "text/javascript; charset=utf-8"));
  }

  void serve(Context ctx) {
    String file = ctx.pathParam("file");
    Asset asset = assets.get(file);
    if (asset == null) {
      throw new NotFound("no asset " + file + " under /portal/assets");
    }
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.contentType(asset.contentType())
        .result(loaded.computeIfAbsent(asset.resource(), PortalAssets::read));
  }

  private static String htmxVersion() {
    Properties p = new Properties();
    try (InputStream in = PortalAssets.class.getResourceAsStream(HTMX_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException(
            "the htmx.org WebJar is missing from the classpath (" + HTMX_PROPERTIES + ")");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + HTMX_PROPERTIES, e);
    }
    return p.getProperty("version");
  }

  private static byte[] read(String resource) {
    try (InputStream in = PortalAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
