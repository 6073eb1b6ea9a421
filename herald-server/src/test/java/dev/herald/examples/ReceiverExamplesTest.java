package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.verify.Webhook;
import io.javalin.Javalin;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The receiver examples in herald-verify/README.md compile, verify a signed webhook and refuse a
 * tampered one, and the README shows them exactly as compiled (issue 14 point 5). The Spring
 * example is not compiled here: Spring is no dependency of Herald.
 */
class ReceiverExamplesTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String BODY = "{\"type\":\"invoice.paid\",\"invoiceId\":\"in_123\"}";
  private static final Path README = Path.of("../herald-verify/README.md");
  private static final Path EXAMPLES = Path.of("src/test/java/dev/herald/examples");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void the_javalin_example_accepts_a_signed_webhook_and_refuses_a_tampered_one() throws Exception {
    JavalinReceiver receiver = new JavalinReceiver(SECRET);
    Javalin app = receiver.create().start("127.0.0.1", 0);
    try {
      URI uri = URI.create("http://127.0.0.1:" + app.port() + "/webhooks");

      assertThat(post(uri, BODY, signature(BODY)).statusCode()).isEqualTo(204);
      HttpResponse<String> tampered = post(uri, BODY.replace("123", "124"), signature(BODY));

      assertThat(tampered.statusCode()).isEqualTo(400);
      assertThat(tampered.body()).isEqualTo("No matching signature found");
      assertThat(receiver.received).hasSize(1);
      assertThat(new String(receiver.received.getFirst(), StandardCharsets.UTF_8)).isEqualTo(BODY);
    } finally {
      app.stop();
    }
  }

  @Test
  void the_servlet_filter_example_accepts_a_signed_webhook_and_refuses_a_tampered_one()
      throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    Server server = servletServer(received);
    try {
      int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
      URI uri = URI.create("http://127.0.0.1:" + port + "/webhooks");

      assertThat(post(uri, BODY, signature(BODY)).statusCode()).isEqualTo(204);
      assertThat(post(uri, BODY.replace("123", "124"), signature(BODY)).statusCode())
          .isEqualTo(400);

      assertThat(received).containsExactly(BODY);
    } finally {
      server.stop();
    }
  }

  @Test
  void the_readme_shows_each_example_as_it_is_compiled() throws Exception {
    String readme = Files.readString(README);

    assertThat(readme).contains(region(EXAMPLES.resolve("JavalinReceiver.java"), "javalin"));
    assertThat(readme).contains(region(EXAMPLES.resolve("WebhookFilter.java"), "servlet"));
  }

  private static Server servletServer(List<String> received) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    FilterHolder filter = new FilterHolder(WebhookFilter.class);
    filter.setInitParameter("secret", SECRET);
    context.addFilter(filter, "/webhooks", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doPost(HttpServletRequest req, HttpServletResponse res) {
                received.add(
                    new String((byte[]) req.getAttribute("webhook.body"), StandardCharsets.UTF_8));
                res.setStatus(204);
              }
            }),
        "/webhooks");
    server.setHandler(context);
    server.start();
    return server;
  }

  private static String[] signature(String body) {
    String id = "msg_example";
    long now = System.currentTimeMillis() / 1000;
    return new String[] {id, Long.toString(now), new Webhook(SECRET).sign(id, now, body)};
  }

  private HttpResponse<String> post(URI uri, String body, String[] signature) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("content-type", "application/json")
            .header("webhook-id", signature[0])
            .header("webhook-timestamp", signature[1])
            .header("webhook-signature", signature[2])
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  // The lines between "// readme:NAME" and "// readme:end", without their common indentation.
  private static String region(Path source, String name) throws Exception {
    List<String> lines = Files.readAllLines(source);
    int start =
        lines.indexOf(
            lines.stream()
                .filter(l -> l.trim().equals("// readme:" + name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no // readme:" + name + " in " + source)));
    List<String> region = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.trim().equals("// readme:end")) {
        break;
      }
      region.add(line);
    }
    int indent =
        region.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return String.join(
        "\n", region.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
  }
}
