package dev.herald.ops;

import com.sun.net.httpserver.HttpServer;
import dev.herald.config.HeraldConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} on its own port ({@code HERALD_METRICS_PORT}), for deployments that keep
 * scraping off the public listener; no token is asked there, the network decides who reaches it.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  public static MetricsServer startIfConfigured(HeraldConfig config, Metrics metrics) {
    if (config.metrics().port() == null) {
      return null;
    }
    try {
      HttpServer server =
          HttpServer.create(
              new InetSocketAddress(config.http().host(), config.metrics().port()), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext(
          "/metrics",
          exchange -> {
            byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            exchange
                .getResponseHeaders()
                .set("content-type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
      log.info("metrics on port {}", server.getAddress().getPort());
      return new MetricsServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen for metrics on port " + config.metrics().port(), e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
