package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import dev.herald.testing.Backend;
import dev.herald.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Errors Jetty answers before a request reaches Herald's routes (oversized headers or URI, a
 * malformed request, a body that stops arriving) use the API's {@code {code, detail}} JSON like
 * every other error (hardening #9 point 10). Requests are written on a raw socket, since HTTP
 * clients refuse to send most of these. Nothing here depends on the database, so SQLite is enough.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpErrorShapeTest {
  /** HERALD_HTTP_IDLE_TIMEOUT here: the 408 test waits it out. */
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);

  private TestServer server;
  private int port;

  @BeforeAll
  void start() {
    server =
        TestServer.builder(Backend.SQLITE)
            .setting("HERALD_HTTP_IDLE_TIMEOUT", IDLE_TIMEOUT.toSeconds() + "s")
            .start();
    port = URI.create(server.baseUrl()).getPort();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private record RawResponse(int status, String contentType, String body) {}

  /**
   * Writes {@code head} (and {@code body}), then reads the answer until the server closes or it is
   * complete.
   */
  private RawResponse exchange(String head, byte[] body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) Duration.ofSeconds(45).toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(socket.getInputStream());
    }
  }

  private static RawResponse read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int headEnd = -1;
    int contentLength = -1;
    for (int n; (n = in.read(buf)) > 0; ) {
      all.write(buf, 0, n);
      String text = all.toString(StandardCharsets.ISO_8859_1);
      if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
        for (String line : text.substring(0, headEnd).split("\r\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            contentLength = Integer.parseInt(line.substring(15).trim());
          }
        }
      }
      if (headEnd >= 0 && contentLength >= 0 && all.size() >= headEnd + 4 + contentLength) {
        break;
      }
    }
    String text = all.toString(StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    String head = text.substring(0, end);
    String contentType = "";
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
        contentType = line.substring(13).trim();
      }
    }
    int status = Integer.parseInt(head.substring(9, 12));
    String rest = text.substring(end + 4);
    return new RawResponse(
        status, contentType, contentLength >= 0 ? rest.substring(0, contentLength) : rest);
  }

  private RawResponse get(String target, String extraHeaders) throws IOException {
    return exchange(
        "GET "
            + target
            + " HTTP/1.1\r\nHost: localhost\r\n"
            + extraHeaders
            + "Connection: close\r\n\r\n",
        new byte[0]);
  }

  private static void assertJsonError(RawResponse r, int status) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.contentType()).as("%s", r).startsWith("application/json");
    JsonNode body = Json.tree(r.body());
    assertThat(body.path("code").isTextual()).as("%s", r).isTrue();
    assertThat(body.path("detail").isTextual()).as("%s", r).isTrue();
    assertThat(body.size()).as("%s", r).isEqualTo(2);
  }

  @Test
  void a_request_header_over_the_limit_answers_431_as_json() throws IOException {
    RawResponse r = get("/api/v1/health", "X-Big: " + "a".repeat(16 * 1024) + "\r\n");
    assertJsonError(r, 431);
  }

  @Test
  void a_uri_over_the_limit_answers_414_as_json() throws IOException {
    RawResponse r = get("/api/v1/app/" + "a".repeat(16 * 1024), "");
    assertJsonError(r, 414);
  }

  @Test
  void a_nul_byte_in_the_path_answers_400_as_json() throws IOException {
    assertJsonError(get("/api/v1/app/%00", ""), 400);
  }

  @Test
  void a_malformed_uri_answers_400_as_json() throws IOException {
    assertJsonError(get("/api/v1/app/%zz", ""), 400);
  }

  @Test
  void a_malformed_request_line_answers_400_as_json() throws IOException {
    assertJsonError(exchange("NOT HTTP AT ALL\r\n\r\n", new byte[0]), 400);
  }

  /** Waits out the idle timeout ({@link #IDLE_TIMEOUT}, set by HERALD_HTTP_IDLE_TIMEOUT). */
  @Test
  void a_body_that_stops_arriving_answers_408_as_json() throws IOException {
    String head =
        "POST /api/v1/app HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
            + server.adminKey()
            + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    assertJsonError(exchange(head, "{\"name\":".getBytes(StandardCharsets.UTF_8)), 408);
  }
}
