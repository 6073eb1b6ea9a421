package dev.herald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.config.HttpConfig;
import dev.herald.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald send}: posts one message to a running Herald, as a backend would. Exit 0 with the
 * message id; 1 when Herald cannot be reached or refuses the message, with one line saying why; 2
 * for a usage error found before sending.
 */
@Command(
    name = "send",
    description =
        "Send a message (an event) to an application; Herald delivers it to every endpoint"
            + " of that application subscribed to its type.",
    sortOptions = false)
final class SendCommand implements Callable<Integer> {
  static final String DEFAULT_URL = "http://localhost:" + HttpConfig.DEFAULT_PORT;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  @Option(
      names = "--app",
      required = true,
      paramLabel = "<app id or uid>",
      description = "The application to send to.")
  String app;

  @Option(
      names = "--type",
      required = true,
      paramLabel = "<event type>",
      description = "The event type.")
  String eventType;

  @Parameters(index = "0", paramLabel = "<payload>", description = "The payload, a JSON object.")
  String payload;

  @Option(
      names = "--url",
      defaultValue = "${env:HERALD_URL:-" + DEFAULT_URL + "}",
      description = "Herald's URL (default: HERALD_URL, see below).")
  String url;

  @Option(
      names = "--key",
      defaultValue = "${env:HERALD_API_KEY}",
      showDefaultValue = Visibility.NEVER,
      description = "API key (default: HERALD_API_KEY).")
  String key;

  @Override
  public Integer call() throws InterruptedException {
    var err = spec.commandLine().getErr();
    if (key == null || key.isBlank()) {
      err.println(
          "herald: no API key: set HERALD_API_KEY (or pass --key) to the key Herald printed at"
              + " first start");
      return 2;
    }
    String problem = jsonProblem(payload);
    if (problem != null) {
      err.println(
          "herald: the payload is not JSON ("
              + problem
              + "); quote it for the shell, e.g."
              + " '{\"invoiceId\": \"in_123\"}'");
      return 2;
    }
    String target =
        url.replaceAll("/+$", "")
            + "/api/v1/app/"
            + URLEncoder.encode(app, StandardCharsets.UTF_8)
            + "/msg";
    // The payload is passed through as typed, not re-serialised, so Herald signs exactly these
    // bytes.
    String body = "{\"eventType\":" + Json.write(eventType) + ",\"payload\":" + payload + "}";
    HttpResponse<String> response;
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
      response =
          client.send(
              HttpRequest.newBuilder(URI.create(target))
                  .timeout(TIMEOUT)
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      err.println(
          "herald: cannot reach Herald at "
              + url
              + ": connection refused. Is it running? HERALD_URL"
              + " (or --url) says where it is.");
      return 1;
    } catch (HttpTimeoutException e) {
      err.println(
          "herald: Herald at " + url + " did not answer within " + TIMEOUT.toSeconds() + " s");
      return 1;
    } catch (IOException | IllegalArgumentException e) {
      err.println("herald: cannot send to " + target + ": " + e);
      return 1;
    }
    return report(response);
  }

  private int report(HttpResponse<String> response) {
    int status = response.statusCode();
    JsonNode answer = parse(response.body());
    if (status / 100 == 2 && answer != null && answer.hasNonNull("id")) {
      spec.commandLine()
          .getOut()
          .println(
              "message "
                  + answer.get("id").asText()
                  + " accepted: Herald"
                  + " delivers it to every endpoint of "
                  + app
                  + " subscribed to "
                  + eventType);
      return 0;
    }
    var err = spec.commandLine().getErr();
    String detail = detail(answer, response.body());
    switch (status) {
      case 401 ->
          err.println(
              "herald: Herald refused the API key (401: "
                  + detail
                  + "). Set HERALD_API_KEY"
                  + " (or --key) to a key of this Herald.");
      case 422 -> err.println("herald: Herald refused the message (422): " + detail);
      default -> err.println("herald: Herald answered " + status + ": " + detail);
    }
    return 1;
  }

  // Herald's errors are {code, detail} or, for validation, {detail: [{loc, msg, type}]}.
  private static String detail(JsonNode answer, String raw) {
    if (answer == null || !answer.has("detail")) {
      return raw.isBlank() ? "(no body)" : raw.strip();
    }
    JsonNode detail = answer.get("detail");
    if (!detail.isArray()) {
      return (answer.has("code") ? answer.get("code").asText() + ": " : "") + detail.asText();
    }
    List<String> problems = new ArrayList<>();
    for (JsonNode d : detail) {
      List<String> loc = new ArrayList<>();
      d.path("loc").forEach(part -> loc.add(part.asText()));
      if (!loc.isEmpty() && loc.getFirst().equals("body")) {
        loc.removeFirst();
      }
      problems.add(String.join(".", loc) + ": " + d.path("msg").asText());
    }
    return String.join("; ", problems);
  }

  // Only whether it parses: what Herald accepts as a payload is Herald's to say (a 422 names it).
  private static String jsonProblem(String text) {
    try {
      JsonNode node =
          Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
      return node == null || node.isMissingNode() ? "it is empty" : null;
    } catch (JsonProcessingException e) {
      // Jackson's message goes on to quote its source location; the column says as much.
      String what =
          e.getOriginalMessage()
              .lines()
              .findFirst()
              .orElse("")
              .replaceAll("\\s*\\(start marker.*", "");
      return e.getLocation() == null ? what : what + " at column " + e.getLocation().getColumnNr();
    }
  }

  private static JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
