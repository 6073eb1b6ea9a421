package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.herald.testing.Backend;
import dev.herald.testing.Eventually;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
import dev.herald.verify.Webhook;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code herald listen} receiving real deliveries from a real Herald (which may reach loopback
 * here, as the README tells developers to allow): it prints and verifies them, and reports a
 * tampered, stale or unsigned request with the reason. The CLI wiring (port 0, the banner, bad
 * options) is covered by running the command itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListenCommandTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TestServer herald;
  private Webhooks hooks;

  @BeforeAll
  void start() {
    herald =
        TestServer.builder(Backend.SQLITE)
            .setting("HERALD_SSRF_ALLOW", "127.0.0.0/8")
            .setting("HERALD_POLL_INTERVAL", "50ms")
            .start();
    hooks = new Webhooks(herald.api());
  }

  @AfterAll
  void stop() {
    herald.close();
  }

  /** A listener on a free port, writing what it prints into {@code printed}. */
  private static WebhookListener listener(StringWriter printed, String secret, int status)
      throws Exception {
    Webhook verifier = secret == null ? null : new Webhook(secret);
    return WebhookListener.start(
        "127.0.0.1", 0, verifier, status, new PrintWriter(printed, true), InstantSource.system());
  }

  private static String awaitReports(StringWriter printed, int n) {
    return Eventually.await(
        n + " reports from herald listen",
        printed::toString,
        text -> text.split("<-- answered ", -1).length > n);
  }

  /** Sends a message with {@code payload} (fields in order) to a new endpoint at the listener. */
  private String sendTo(int port, Object... payload) {
    String app = hooks.createApp();
    hooks.createEndpoint(app, "http://127.0.0.1:" + port + "/webhooks", Map.of("secret", SECRET));
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < payload.length; i += 2) {
      fields.put((String) payload[i], payload[i + 1]);
    }
    return hooks.send(app, Map.of("eventType", "invoice.paid", "payload", fields));
  }

  @Test
  void prints_and_verifies_a_real_delivery_from_herald() throws Exception {
    StringWriter printed = new StringWriter();
    try (WebhookListener listener = listener(printed, SECRET, 204)) {
      String msg = sendTo(listener.port(), "invoiceId", "in_123", "amount", 4200);

      String report = awaitReports(printed, 1);

      assertThat(report)
          .contains("--> POST /webhooks")
          .contains("webhook-id: " + msg)
          .containsPattern("webhook-timestamp: \\d+")
          .containsPattern("webhook-signature: v1,\\S+")
          .contains("{\n  \"invoiceId\" : \"in_123\",\n  \"amount\" : 4200\n}")
          .contains("signature: verified")
          .contains("<-- answered 204");
    }
  }

  @Test
  void reports_a_tampered_delivery_as_not_verified_and_says_why() throws Exception {
    StringWriter printed = new StringWriter();
    try (WebhookListener listener = listener(printed, SECRET, 204)) {
      sendTo(listener.port(), "amount", 4200);
      String genuine = awaitReports(printed, 1);

      // The same signed headers Herald sent, with the amount changed on the way.
      int status =
          post(
              listener.port(),
              "{\"amount\":1}",
              Map.of(
                  "webhook-id", header(genuine, "webhook-id"),
                  "webhook-timestamp", header(genuine, "webhook-timestamp"),
                  "webhook-signature", header(genuine, "webhook-signature")));

      String tampered = awaitReports(printed, 2).substring(genuine.length());
      assertThat(status).isEqualTo(204);
      assertThat(genuine).contains("signature: verified");
      assertThat(tampered)
          .contains("\"amount\" : 1")
          .contains("signature: NOT VERIFIED, bad signature: no signature matches the secret")
          .doesNotContain("signature: verified");
    }
  }

  @Test
  void a_listener_with_another_secret_reports_a_bad_signature() throws Exception {
    StringWriter printed = new StringWriter();
    try (WebhookListener listener = listener(printed, "whsec_" + "A".repeat(32), 204)) {
      sendTo(listener.port());

      assertThat(awaitReports(printed, 1)).contains("signature: NOT VERIFIED, bad signature");
    }
  }

  @Test
  void reports_a_stale_future_or_malformed_timestamp_and_an_unsigned_request_with_what_is_missing()
      throws Exception {
    StringWriter printed = new StringWriter();
    try (WebhookListener listener = listener(printed, SECRET, 204)) {
      long tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond();
      long inAnHour = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
      postSigned(listener.port(), "msg_old", Long.toString(tenMinutesAgo));
      postSigned(listener.port(), "msg_new", Long.toString(inAnHour));
      postSigned(listener.port(), "msg_odd", "yesterday");
      post(listener.port(), "{}", Map.of("webhook-id", "msg_unsigned"));

      assertThat(report(printed, 1))
          .containsPattern("signature: NOT VERIFIED, timestamp too old: sent 10 min \\d+ s ago");
      assertThat(report(printed, 2))
          .containsPattern(
              "signature: NOT VERIFIED, timestamp too new: sent (59 min \\d+ s|1 h 0 min) in")
          .contains("in the future");
      assertThat(report(printed, 3))
          .contains(
              "signature: NOT VERIFIED, malformed webhook-timestamp: yesterday is not whole seconds");
      assertThat(report(printed, 4))
          .contains(
              "signature: NOT VERIFIED, missing headers: webhook-timestamp, webhook-signature");
    }
  }

  /** Posts a body signed with {@link #SECRET} under the given id and timestamp header. */
  private static void postSigned(int port, String id, String timestamp) throws Exception {
    String body = "{\"id\":\"" + id + "\"}";
    String signature =
        timestamp.chars().allMatch(Character::isDigit)
            ? new Webhook(SECRET).sign(id, Long.parseLong(timestamp), body)
            : "v1,AAAA";
    post(
        port,
        body,
        Map.of("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature", signature));
  }

  /** The {@code n}-th report (from 1), once printed. */
  private static String report(StringWriter printed, int n) {
    return awaitReports(printed, n).split("(?m)^--> ")[n];
  }

  @Test
  void without_a_secret_shows_the_signature_without_checking_it() throws Exception {
    StringWriter printed = new StringWriter();
    try (WebhookListener listener = listener(printed, null, 204)) {
      sendTo(listener.port());

      assertThat(awaitReports(printed, 1))
          .containsPattern("webhook-signature: v1,\\S+")
          .contains("signature: not checked (give --secret whsec_... to verify it)");
    }
  }

  @Test
  void answers_the_configured_status_and_herald_records_it() throws Exception {
    StringWriter printed = new StringWriter();
    try (WebhookListener listener = listener(printed, SECRET, 500)) {
      String app = hooks.createApp();
      String ep =
          hooks
              .createEndpoint(
                  app, "http://127.0.0.1:" + listener.port() + "/", Map.of("secret", SECRET))
              .get("id")
              .asText();
      String msg = hooks.send(app, "invoice.paid");

      var attempt =
          Eventually.await(
                  "an attempt",
                  () -> hooks.attemptsOfEndpoint(app, ep, ""),
                  attempts -> !attempts.isEmpty())
              .getFirst();

      assertThat(attempt.get("msgId").asText()).isEqualTo(msg);
      assertThat(attempt.get("responseStatusCode").asInt()).isEqualTo(500);
      assertThat(printed.toString()).contains("signature: verified").contains("<-- answered 500");
    }
  }

  @Test
  void refuses_a_secret_that_is_not_one_and_a_status_out_of_range() {
    // A refusal returns at once; a listen that wrongly started would run until stopped.
    var badSecret =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () -> CliRun.of("listen", "--port", "0", "--secret", "hunter2"));
    var badStatus =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> CliRun.of("listen", "--port", "0", "--status", "99"));

    assertThat(badSecret.exitCode()).isEqualTo(2);
    assertThat(badSecret.err()).contains("--secret is not a signing secret");
    assertThat(badStatus.exitCode()).isEqualTo(2);
    assertThat(badStatus.err()).contains("--status 99 is not allowed: use 200..599");
  }

  @Test
  void the_command_on_port_0_prints_the_port_it_picked_and_receives_there() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process listen =
        new ProcessBuilder(
                java,
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.herald.cli.Main",
                "listen",
                "--port",
                "0",
                "--secret",
                SECRET)
            .redirectErrorStream(true)
            .start();
    try (var lines =
        new BufferedReader(
            new InputStreamReader(listen.getInputStream(), StandardCharsets.UTF_8))) {
      String first = lines.readLine();
      Matcher m =
          Pattern.compile(
                  "^Listening for webhooks on http://127\\.0\\.0\\.1:(\\d+)/ \\(any path\\),"
                      + " answering 204; verifying signatures with the given secret\\.$")
              .matcher(String.valueOf(first));
      assertThat(m.matches()).as(first).isTrue();
      int port = Integer.parseInt(m.group(1));
      assertThat(port).isPositive();

      assertThat(post(port, "{}", Map.of())).isEqualTo(204);

      String report =
          lines
              .lines()
              .dropWhile(l -> !l.startsWith("-->"))
              .takeWhile(l -> !l.startsWith("<--"))
              .collect(Collectors.joining("\n"));
      assertThat(report)
          .startsWith("--> POST /webhooks")
          .contains("signature: NOT VERIFIED, missing headers");
    } finally {
      listen.destroy();
      listen.waitFor();
    }
  }

  private static final Pattern HEADER_LINE = Pattern.compile("(?m)^([a-z-]+): (.*)$");

  private static String header(String report, String name) {
    Matcher m = HEADER_LINE.matcher(report);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2);
      }
    }
    throw new AssertionError("no " + name + " in " + report);
  }

  private static int post(int port, String body, Map<String, String> headers) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
