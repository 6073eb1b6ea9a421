package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Backend;
import dev.herald.testing.TestServer;
import dev.herald.testing.Webhooks;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code herald send} against a real Herald: it posts the message and prints its id, and every way
 * it can fail ends with exit 1 (Herald unreachable or refusing) or 2 (nothing sent) and one line
 * saying why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendCommandTest {
  private static final Pattern ACCEPTED = Pattern.compile("^message (msg_\\w+) accepted: ");

  private TestServer herald;
  private String app;

  @BeforeAll
  void start() {
    herald = TestServer.start(Backend.SQLITE);
    app = new Webhooks(herald.api()).createApp();
  }

  @AfterAll
  void stop() {
    herald.close();
  }

  private CliRun send(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "send";
    all[1] = "--url=" + herald.baseUrl();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(all);
  }

  @Test
  void posts_the_message_and_prints_its_id() {
    String payload = "{\"invoiceId\": \"in_123\", \"amount\": 4200.50}";

    CliRun run = send("--key", herald.adminKey(), "--app", app, "--type", "invoice.paid", payload);

    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.err()).isEmpty();
    Matcher m = ACCEPTED.matcher(run.out());
    assertThat(m.find()).as(run.out()).isTrue();
    var message = herald.api().get("/api/v1/app/" + app + "/msg/" + m.group(1));
    assertThat(message.status()).isEqualTo(200);
    assertThat(message.body().get("eventType").asText()).isEqualTo("invoice.paid");
    // Passed through as typed: the number keeps its digits.
    assertThat(message.text()).contains("\"amount\": 4200.50");
  }

  @Test
  void says_when_herald_cannot_be_reached() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }

    CliRun run =
        CliRun.of(
            "send",
            "--url",
            "http://127.0.0.1:" + closed,
            "--key",
            herald.adminKey(),
            "--app",
            app,
            "--type",
            "invoice.paid",
            "{}");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo(
            "herald: cannot reach Herald at http://127.0.0.1:"
                + closed
                + ": connection refused."
                + " Is it running? HERALD_URL (or --url) says where it is.");
  }

  @Test
  void says_when_herald_refuses_the_key() {
    CliRun run =
        send("--key", "hk_not_a_key_of_this_herald", "--app", app, "--type", "invoice.paid", "{}");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("herald: Herald refused the API key (401: ")
        .contains("HERALD_API_KEY");
  }

  @Test
  void names_the_field_herald_refused_with_422() {
    CliRun run = send("--key", herald.adminKey(), "--app", app, "--type", "invoice.paid", "[1, 2]");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo(
            "herald: Herald refused the message (422): payload: the payload must be a JSON object");
  }

  @Test
  void passes_on_herald_s_error_code_and_detail() {
    CliRun run =
        send("--key", herald.adminKey(), "--app", "no_such_app", "--type", "invoice.paid", "{}");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("herald: Herald answered 404: not_found: ")
        .contains("no_such_app");
  }

  @Test
  void sends_nothing_when_the_payload_is_not_json_or_there_is_no_key() {
    String quiet = new Webhooks(herald.api()).createApp();

    CliRun notJson =
        send(
            "--key", herald.adminKey(), "--app", quiet, "--type", "invoice.paid", "{invoiceId: 1}");
    CliRun noKey = send("--key=", "--app", quiet, "--type", "invoice.paid", "{}");

    assertThat(notJson.exitCode()).isEqualTo(2);
    assertThat(notJson.err())
        .startsWith("herald: the payload is not JSON (")
        .contains("at column 2");
    assertThat(noKey.exitCode()).isEqualTo(2);
    assertThat(noKey.err()).startsWith("herald: no API key: set HERALD_API_KEY (or pass --key)");
    assertThat(herald.api().get("/api/v1/app/" + quiet + "/msg").body().get("data")).isEmpty();
  }

  @Test
  void a_missing_app_or_type_is_a_usage_error() {
    CliRun run = CliRun.of("send", "--key", "k", "{}");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required options").contains("--app").contains("--type");
  }
}
