package dev.herald.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.Version;
import dev.herald.error.NotFound;
import dev.herald.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /api/v1/openapi.json}: the checked-in OpenAPI document of every route. {@code /docs}:
 * Swagger UI for it, from the swagger-ui WebJar, with every file served by this node. No
 * authentication.
 */
final class DocsRoutes {
  static final String OPENAPI_RESOURCE = "/openapi/herald-openapi.json";
  private static final String PAGE_RESOURCE = "/openapi/docs.html";
  private static final String WEBJAR_PROPERTIES =
      "/META-INF/maven/org.webjars/swagger-ui/pom.properties";

  // The browser enforces what the page promises: nothing is fetched from anywhere but this node.
  private static final String PAGE_POLICY =
      "default-src 'self'; img-src 'self' data:; "
          + "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private record Asset(String resource, String contentType) {}

  private final Map<String, Asset> assets;
  private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

  DocsRoutes() {
    String webjar = "/META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion() + "/";
    // A fixed list: a request names one of these, never a classpath path.
    this.assets =
        Map.of(
            "swagger-ui.css", new Asset(webjar + "swagger-ui.css", "text/css; charset=utf-8"),
            "swagger-ui-bundle.js",
                new Asset(webjar + "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
            "favicon-32x32.png", new Asset(webjar + "favicon-32x32.png", "image/png"),
            "favicon-16x16.png", new Asset(webjar + "favicon-16x16.png", "image/png"),
            "herald-docs.js",
                new Asset("/openapi/herald-docs.js", "text/javascript; charset=utf-8"));
  }

  void register(Routes r) {
    r.publicGet("/api/v1/openapi.json", this::openApi);
    r.publicGet("/docs", this::page);
    r.publicGet("/docs/assets/{file}", this::asset);
  }

  private void openApi(Context ctx) {
    ctx.contentType("application/json")
        .result(loaded.computeIfAbsent(OPENAPI_RESOURCE, DocsRoutes::openApiDocument));
  }

  private void page(Context ctx) {
    ctx.header("Content-Security-Policy", PAGE_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.contentType("text/html; charset=utf-8")
        .result(loaded.computeIfAbsent(PAGE_RESOURCE, DocsRoutes::read));
  }

  private void asset(Context ctx) {
    String file = ctx.pathParam("file");
    Asset asset = assets.get(file);
    if (asset == null) {
      throw new NotFound("no asset " + file + " under /docs/assets");
    }
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.contentType(asset.contentType())
        .result(loaded.computeIfAbsent(asset.resource(), DocsRoutes::read));
  }

  /** The document as checked in, with {@code info.version} set to this node's version. */
  private static byte[] openApiDocument(String resource) {
    try {
      ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(read(resource));
      ((ObjectNode) doc.get("info")).put("version", Version.current());
      return Json.MAPPER.writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static String swaggerUiVersion() {
    Properties p = new Properties();
    try (InputStream in = DocsRoutes.class.getResourceAsStream(WEBJAR_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException(
            "the swagger-ui WebJar is missing from the classpath (" + WEBJAR_PROPERTIES + ")");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + WEBJAR_PROPERTIES, e);
    }
    return p.getProperty("version");
  }

  private static byte[] read(String resource) {
    try (InputStream in = DocsRoutes.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
