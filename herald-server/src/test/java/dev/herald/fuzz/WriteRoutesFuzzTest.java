package dev.herald.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Property-based fuzzing of every write route and the list routes' query parameters, on both
 * databases (hardening issue 9). For each route, bodies are generated from a seed ({@link
 * JsonFuzz}): the route's own fields with values of random types, sizes, nesting, unicode and
 * numbers at the edges, and documents that are not quite JSON. Three properties must hold for every
 * answer:
 *
 * <ol>
 *   <li>never a 5xx;
 *   <li>every error is {@code {code, detail}}, or Svix's 422 {@code {detail: [{loc, msg, type}]}};
 *   <li>nothing is half-written: after a 4xx, what the route writes reads back as before.
 * </ol>
 *
 * A failure names the route, the seed and the body, so the case can be replayed. Run more cases
 * with {@code -Dherald.fuzz.cases=N} (default 40 per route).
 */
class WriteRoutesFuzzTest extends ApiContractTest {
  static final int CASES = Integer.getInteger("herald.fuzz.cases", 40);
  static final long SEED = Long.getLong("herald.fuzz.seed", 0x4e52414cL);

  private Api fz;
  private String app;
  private String endpoint;
  private String message;

  /**
   * A write route: where to send, which fields it reads with a plausible value each, and how to
   * read back its effect.
   */
  private record Route(String method, String path, Map<String, String> fields, String probe) {}

  /**
   * The server the fixtures were made on: the suite runs once per backend, each on its own server.
   */
  private Object fixturesOf;

  @BeforeEach
  void fixtures() {
    if (fixturesOf == server) {
      return;
    }
    fixturesOf = server;
    fz = newOrg();
    app = fz.post("/api/v1/app", Map.of("name", "fuzz", "uid", "fuzz-app")).field("id");
    assertThat(
            fz.post("/api/v1/event-type", Map.of("name", "fuzz.event", "description", "d"))
                .status())
        .isEqualTo(201);
    endpoint =
        fz.post(
                "/api/v1/app/" + app + "/endpoint",
                Map.of("url", "https://example.com/fuzz", "uid", "fuzz-ep"))
            .field("id");
    message =
        fz.post(
                "/api/v1/app/" + app + "/msg",
                Map.of("eventType", "fuzz.event", "payload", Map.of("a", 1)))
            .field("id");
  }

  private List<Route> routes() {
    String appPath = "/api/v1/app/" + app;
    String epPath = appPath + "/endpoint/" + endpoint;
    Map<String, String> appFields =
        fields(
            "name",
            "\"n\"",
            "uid",
            "\"u-1\"",
            "metadata",
            "{\"k\":\"v\"}",
            "rateLimit",
            "5",
            "throttleRate",
            "5");
    Map<String, String> eventTypeFields =
        fields(
            "name",
            "\"fuzz.other\"",
            "description",
            "\"d\"",
            "archived",
            "false",
            "deprecated",
            "false",
            "schemas",
            "{\"1\":{\"type\":\"object\"}}",
            "featureFlag",
            "\"beta\"",
            "groupName",
            "\"g\"");
    Map<String, String> endpointFields =
        fields(
            "url",
            "\"https://example.com/x\"",
            "description",
            "\"d\"",
            "version",
            "1",
            "uid",
            "\"e-1\"",
            "filterTypes",
            "[\"fuzz.event\"]",
            "eventTypes",
            "[\"fuzz.event\"]",
            "channels",
            "[\"c\"]",
            "disabled",
            "false",
            "rateLimit",
            "3",
            "throttleRate",
            "3",
            "secret",
            "\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"",
            "metadata",
            "{}",
            "headers",
            "{\"X-A\":\"1\"}");
    Map<String, String> messageFields =
        fields(
            "eventType",
            "\"fuzz.event\"",
            "eventId",
            "\"ev-1\"",
            "payload",
            "{\"a\":1}",
            "channels",
            "[\"c\"]",
            "tags",
            "[\"t\"]",
            "payloadRetentionPeriod",
            "5",
            "payloadRetentionHours",
            "24",
            "application",
            "{\"name\":\"n\",\"uid\":\"fuzz-app\"}",
            "deliverAt",
            "\"2099-01-01T00:00:00Z\"",
            "transformationsParams",
            "{}");
    return List.of(
        new Route("POST", "/api/v1/app", appFields, "/api/v1/app?limit=250"),
        new Route("PUT", appPath, appFields, appPath),
        new Route("PATCH", appPath, appFields, appPath),
        new Route(
            "POST",
            "/api/v1/event-type",
            eventTypeFields,
            "/api/v1/event-type?limit=250&include_archived=true"),
        new Route(
            "PUT",
            "/api/v1/event-type/fuzz.event",
            eventTypeFields,
            "/api/v1/event-type/fuzz.event"),
        new Route(
            "PATCH",
            "/api/v1/event-type/fuzz.event",
            eventTypeFields,
            "/api/v1/event-type/fuzz.event"),
        new Route("POST", appPath + "/endpoint", endpointFields, appPath + "/endpoint?limit=250"),
        new Route("PUT", epPath, endpointFields, epPath),
        new Route("PATCH", epPath, endpointFields, epPath),
        new Route(
            "PUT", epPath + "/headers", fields("headers", "{\"X-B\":\"2\"}"), epPath + "/headers"),
        new Route(
            "PATCH",
            epPath + "/headers",
            fields("headers", "{\"X-C\":\"3\"}", "deleteHeaders", "[\"X-B\"]"),
            epPath + "/headers"),
        new Route(
            "POST",
            epPath + "/secret/rotate",
            fields("key", "\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\""),
            epPath + "/secret"),
        new Route(
            "POST",
            epPath + "/recover",
            fields("since", "\"2020-01-01T00:00:00Z\"", "until", "\"2020-01-02T00:00:00Z\""),
            null),
        new Route(
            "POST",
            epPath + "/send-example",
            fields("eventType", "\"fuzz.event\""),
            appPath + "/msg?limit=250"),
        new Route("POST", appPath + "/msg", messageFields, appPath + "/msg?limit=250"),
        new Route(
            "POST",
            appPath + "/msg/" + message + "/endpoint/" + endpoint + "/resend",
            fields(),
            null),
        new Route(
            "POST",
            "/api/v1/auth/app-portal-access/" + app,
            fields(
                "expiry",
                "3600",
                "readOnly",
                "false",
                "featureFlags",
                "[\"beta\"]",
                "sessionId",
                "\"s\"",
                "capabilities",
                "[\"ViewBase\"]",
                "application",
                "{\"name\":\"n\",\"uid\":\"fuzz-app\"}"),
            null),
        new Route(
            "POST",
            "/api/v1/operational-webhook/endpoint",
            endpointFields,
            "/api/v1/operational-webhook/endpoint?limit=250"));
  }

  private static Map<String, String> fields(String... nameValue) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      out.put(nameValue[i], nameValue[i + 1]);
    }
    return out;
  }

  @Test
  void no_write_route_answers_5xx_or_an_odd_error_or_leaves_anything_half_written() {
    List<String> failures = new ArrayList<>();
    List<Route> routes = routes();
    for (int r = 0; r < routes.size(); r++) {
      Route route = routes.get(r);
      JsonNode before = probe(route);
      for (int i = 0; i < CASES; i++) {
        long seed = SEED + 1_000L * r + i;
        String body = new JsonFuzz(seed).body(route.fields());
        Api.Response response = fz.send(route.method(), route.path(), body, Map.of());
        String problem = problem(response);
        if (problem == null
            && response.status() >= 400
            && route.probe() != null
            && !Objects.equals(before, probe(route))) {
          problem = "answered " + response.status() + " but changed " + route.probe();
        }
        if (problem != null) {
          failures.add(
              describe(route.method() + " " + route.path(), seed, body, response, problem));
        }
        if (response.status() < 300) {
          before = probe(route);
        }
      }
    }
    assertThat(failures).as("fuzz failures on %s", backend).isEmpty();
  }

  @Test
  void no_list_route_answers_5xx_or_an_odd_error_whatever_its_query() {
    String appPath = "/api/v1/app/" + app;
    String epPath = appPath + "/endpoint/" + endpoint;
    List<String> lists =
        List.of(
            "/api/v1/app",
            "/api/v1/event-type",
            appPath + "/endpoint",
            appPath + "/msg",
            appPath + "/attempt/msg/" + message,
            appPath + "/attempt/endpoint/" + endpoint,
            epPath + "/msg",
            appPath + "/msg/" + message + "/endpoint",
            epPath + "/stats",
            "/api/v1/operational-webhook/endpoint");
    List<String> params =
        List.of(
            "limit",
            "iterator",
            "order",
            "before",
            "after",
            "since",
            "until",
            "event_types",
            "channel",
            "status",
            "status_code_class",
            "with_content",
            "include_archived",
            "with_msg",
            "tag",
            "exclude_apps_with_no_endpoints",
            "exclude_apps_with_disabled_endpoints",
            "endpoint_id");
    List<String> failures = new ArrayList<>();
    for (int l = 0; l < lists.size(); l++) {
      for (int i = 0; i < CASES; i++) {
        long seed = SEED + 100_000L + 1_000L * l + i;
        JsonFuzz fuzz = new JsonFuzz(seed);
        StringBuilder query = new StringBuilder();
        int n = 1 + (int) (seed % 3);
        for (int p = 0; p < n; p++) {
          query
              .append(p == 0 ? '?' : '&')
              .append(fuzz.pick(params))
              .append('=')
              .append(URLEncoder.encode(fuzz.queryValue(), StandardCharsets.UTF_8));
        }
        Api.Response response = fz.get(lists.get(l) + query);
        String problem = problem(response);
        if (problem != null) {
          failures.add(describe("GET " + lists.get(l) + query, seed, "", response, problem));
        }
      }
    }
    assertThat(failures).as("fuzz failures on %s", backend).isEmpty();
  }

  /** Found by this suite: PostgreSQL answered 500 where SQLite stored the NUL character. */
  @Test
  void a_nul_character_in_text_is_refused_alike_on_both_databases() {
    Api.Response body = fz.send("POST", "/api/v1/app", "{\"name\":\"a\\u0000b\"}", Map.of());
    assertThat(body.status()).as("%s", body).isEqualTo(422);
    assertThat(body.body().path("detail").get(0).path("loc").toString())
        .isEqualTo("[\"body\",\"name\"]");
    Api.Response query = fz.get("/api/v1/app/" + app + "/msg?channel=%00");
    assertThat(query.status()).as("%s", query).isEqualTo(422);
    assertThat(query.body().path("detail").get(0).path("loc").toString())
        .isEqualTo("[\"query\",\"channel\"]");
  }

  /**
   * Found by this suite: a year beyond 9999 parsed, then overflowed the stored milliseconds (500).
   */
  @Test
  void a_query_datetime_beyond_year_9999_is_a_422() {
    Api.Response r = fz.get("/api/v1/app/" + app + "/msg?before=%2B999999999-01-01T00%3A00%3A00Z");
    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(r.body().path("detail").get(0).path("loc").toString())
        .isEqualTo("[\"query\",\"before\"]");
  }

  private JsonNode probe(Route route) {
    if (route.probe() == null) {
      return null;
    }
    Api.Response r = fz.get(route.probe());
    return r.status() == 200 ? r.body() : null;
  }

  /** What is wrong with an answer, or null when it keeps the properties. */
  static String problem(Api.Response r) {
    if (r.status() >= 500) {
      return "answered " + r.status();
    }
    if (r.status() < 400) {
      return null;
    }
    JsonNode body = r.body();
    if (!body.isObject()) {
      return "error body is not a JSON object";
    }
    if (body.path("code").isTextual() && body.path("detail").isTextual()) {
      return null;
    }
    if (r.status() == 422 && body.path("detail").isArray() && !body.path("detail").isEmpty()) {
      for (JsonNode item : body.path("detail")) {
        if (!item.path("loc").isArray()
            || !item.path("msg").isTextual()
            || !item.path("type").isTextual()) {
          return "422 item is not {loc, msg, type}";
        }
      }
      return null;
    }
    return "error body is neither {code, detail} nor a 422 {detail:[…]}";
  }

  private static String describe(
      String what, long seed, String body, Api.Response r, String problem) {
    return what
        + " seed="
        + seed
        + ": "
        + problem
        + "\n  body: "
        + cut(body)
        + "\n  answer: "
        + r.status()
        + " "
        + cut(r.text());
  }

  private static String cut(String s) {
    return s == null
        ? ""
        : s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + " chars)" : s;
  }
}
