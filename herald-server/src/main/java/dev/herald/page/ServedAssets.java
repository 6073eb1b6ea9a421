package dev.herald.page;

import dev.herald.error.NotFound;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed set of files from the classpath (our own, or a WebJar's) served under one path by their
 * file name: the pages' stylesheets and scripts, all from this node. A request names one of the
 * listed files, never a classpath path.
 */
public final class ServedAssets {
  public static final String JAVASCRIPT = "text/javascript; charset=utf-8";
  public static final String CSS = "text/css; charset=utf-8";

  /** A classpath resource and the content type it is served with. */
  public record Asset(String resource, String contentType) {}

  private final String under;
  private final Map<String, Asset> assets;
  private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

  /**
   * @param under the path they are served under, for the not-found message
   */
  public ServedAssets(String under, Map<String, Asset> assets) {
    this.under = under;
    this.assets = Map.copyOf(assets);
  }

  /** Serves the file named by the {@code file} path parameter. */
  public void serve(Context ctx) {
    String file = ctx.pathParam("file");
    Asset asset = assets.get(file);
    if (asset == null) {
      throw new NotFound("no asset " + file + " under " + under);
    }
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.contentType(asset.contentType())
        .result(loaded.computeIfAbsent(asset.resource(), ServedAssets::read));
  }

  /**
   * Where an npm WebJar keeps a file: {@code /META-INF/resources/webjars/<name>/<version>/<file>},
   * the version read from the WebJar itself so an upgrade needs no change here.
   */
  public static String npmWebJar(String name, String file) {
    String properties = "/META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
    Properties p = new Properties();
    try (InputStream in = ServedAssets.class.getResourceAsStream(properties)) {
      if (in == null) {
        throw new IllegalStateException(
            "the " + name + " WebJar is missing from the classpath (" + properties + ")");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + properties, e);
    }
    return "/META-INF/resources/webjars/" + name + "/" + p.getProperty("version") + "/" + file;
  }

  private static byte[] read(String resource) {
    try (InputStream in = ServedAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
