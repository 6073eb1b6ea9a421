package dev.herald.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.verify.Webhook;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The receiver behind {@code herald listen}: answers every request on every path with one status
 * and prints a {@link WebhookReport} of it. The JDK's own HTTP server is enough for a developer's
 * receiver and keeps it apart from Herald's API server. Requests are handled one at a time on the
 * server's thread, so reports never interleave.
 */
final class WebhookListener implements AutoCloseable {
  private final HttpServer server;
  private final Webhook verifier;
  private final int status;
  private final PrintWriter out;
  private final InstantSource clock;

  private WebhookListener(
      HttpServer server, Webhook verifier, int status, PrintWriter out, InstantSource clock) {
    this.server = server;
    this.verifier = verifier;
    this.status = status;
    this.out = out;
    this.clock = clock;
  }

  /**
   * Binds {@code host:port} ({@code 0}: a free port) and starts answering.
   *
   * @param verifier checks signatures; {@code null}: signatures are shown, not checked
   * @param clock when requests are received, and how old a stale timestamp is
   * @throws IOException when the address cannot be bound (in use, not local)
   */
  static WebhookListener start(
      String host, int port, Webhook verifier, int status, PrintWriter out, InstantSource clock)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    WebhookListener listener = new WebhookListener(server, verifier, status, out, clock);
    server.createContext("/", listener::handle);
    server.start();
    return listener;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> headers = new LinkedHashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name, String.join(", ", values)));
      var verdict = WebhookReport.check(verifier, headers, body, clock);
      out.print(
          WebhookReport.describe(
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              headers,
              body,
              verdict,
              status,
              clock.instant()));
      out.flush();
      exchange.sendResponseHeaders(status, -1);
    } catch (RuntimeException | IOException e) {
      // One bad request must not end the session: say what happened and keep listening.
      out.println("herald listen: could not handle a request: " + e);
      out.flush();
      throw e;
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
