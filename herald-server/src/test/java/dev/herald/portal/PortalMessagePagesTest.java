package dev.herald.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.portal.PortalClient.Session;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.Eventually;
import dev.herald.testing.Receiver;
import dev.herald.testing.Webhooks;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The portal's message pages over plain HTTP (issue #11 point 2): an endpoint's message log with
 * its filters kept in the URL, a message with its attempts and resend, recover with a count first,
 * and the event catalogue; each action checked against the session's capability and CSRF token, and
 * stored markup shown as text.
 */
class PortalMessagePagesTest extends ApiContractTest {
  private static final String PUBLIC_URL = "http://portal.example.test";
  private static final String MARKUP = "<script>alert(1)</script><img src=x onerror=alert(2)>";
  private static final String MARKUP_ESCAPED =
      "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;";

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "HERALD_PUBLIC_URL", PUBLIC_URL,
        "HERALD_RETRY_SCHEDULE", "none",
        "HERALD_POLL_INTERVAL", "50ms",
        "HERALD_SSRF_ALLOW", "127.0.0.0/8");
  }

  /** An application of {@code org} with one endpoint at {@code receiver}. */
  private record Target(Api org, String app, String endpoint, Receiver receiver) {}

  private Target target(Api org, Receiver.Reply reply) {
    Webhooks hooks = new Webhooks(org);
    String app = hooks.createApp();
    Receiver r = receiver().replyWith(reply);
    return new Target(org, app, hooks.createEndpoint(app, r.url()), r);
  }

  private PortalClient portal(Api org) {
    return new PortalClient(server.baseUrl(), PUBLIC_URL, org);
  }

  private Session sessionFor(Api org, String app, Map<String, ?> body) {
    return portal(org).sessionFor(app, body);
  }

  private Session sessionFor(Target t) {
    return sessionFor(t.org(), t.app(), Map.of());
  }

  private HttpResponse<String> get(String path, Session s) {
    return portal(api).get(path, s);
  }

  private String page(String path, Session s) {
    HttpResponse<String> r = get(path, s);
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
    return r.body();
  }

  private HttpResponse<String> post(String path, Session s, Map<String, String> form) {
    return portal(api).post(path, s, form);
  }

  private String csrf(Session s) {
    return portal(api).csrf(s);
  }

  private Map<String, String> form(Session s, String... pairs) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("_csrf", csrf(s));
    for (int i = 0; i < pairs.length; i += 2) {
      form.put(pairs[i], pairs[i + 1]);
    }
    return form;
  }

  private static String sendMessage(Target t, Map<String, Object> body) {
    return new Webhooks(t.org()).send(t.app(), body);
  }

  private static String sendMessage(Target t, String eventType) {
    return new Webhooks(t.org()).send(t.app(), eventType);
  }

  /** Waits until the message has {@code n} attempts (of any outcome). */
  private static void awaitAttempts(Target t, String msgId, int n) {
    Eventually.await(
        "attempts of " + msgId,
        () -> new Webhooks(t.org()).attemptsOfMessage(t.app(), msgId).size(),
        size -> size >= n);
  }

  private static String log(Target t) {
    return "/portal/endpoints/" + t.endpoint() + "/messages";
  }

  private static String local(Instant t) {
    return LocalDateTime.ofInstant(t.truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC).toString();
  }

  @Test
  void the_message_log_shows_each_message_with_its_status_and_last_response() {
    Target t = target(api, Receiver.Reply.ok());
    Session s = sessionFor(t);
    assertThat(page(log(t), s)).contains("id=\"empty-state\"", "No messages sent to this endpoint");

    String msg = sendMessage(t, "invoice.paid");
    awaitAttempts(t, msg, 1);
    String body = page(log(t), s);

    assertThat(body)
        .contains("id=\"message-log\"", "invoice.paid", "success", "200 · success")
        .contains("/portal/messages/" + msg + "?endpoint=" + t.endpoint())
        .contains("aria-current=\"page\">Message log");
    assertThat(body).doesNotContain("style=\"", "<script>");
  }

  @Test
  void the_filters_are_kept_in_the_url_and_each_narrows_the_log() {
    Target t = target(api, Receiver.Reply.status(500));
    Session s = sessionFor(t);
    Map<String, Object> tagged = new LinkedHashMap<>();
    tagged.put("eventType", "user.created");
    tagged.put("payload", Map.of("id", 1));
    tagged.put("channels", List.of("eu"));
    tagged.put("tags", List.of("vip"));
    String user = sendMessage(t, tagged);
    String invoice = sendMessage(t, "invoice.paid");
    awaitAttempts(t, user, 1);
    awaitAttempts(t, invoice, 1);

    assertThat(page(log(t) + "?event_type=invoice.paid", s))
        .contains(invoice)
        .doesNotContain(user)
        .contains("value=\"invoice.paid\"");
    assertThat(page(log(t) + "?channel=eu", s)).contains(user).doesNotContain(invoice);
    assertThat(page(log(t) + "?tag=vip", s)).contains(user).doesNotContain(invoice);
    assertThat(page(log(t) + "?status=failed&code=5xx&period=1h", s))
        .contains(user, invoice, "500 · endpoint error")
        .contains("<option value=\"failed\" selected>", "<option value=\"5xx\" selected>")
        .contains("aria-current=\"page\">Last hour");
    assertThat(page(log(t) + "?status=success", s))
        .doesNotContain(user, invoice)
        .contains("No messages match these filters");
    assertThat(page(log(t) + "?code=2xx", s)).doesNotContain(user, invoice);
    String future = local(Instant.now().plus(Duration.ofDays(1)));
    assertThat(page(log(t) + "?after=" + future, s))
        .doesNotContain(user, invoice)
        .contains("value=\"" + future + "\"");
    assertThat(page(log(t) + "?before=" + future, s)).contains(user, invoice);

    HttpResponse<String> bad = get(log(t) + "?status=lost&after=yesterday", s);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("Status: choose one of", "From: a date and time");
  }

  @Test
  void the_log_pages_through_older_messages_with_the_next_link() {
    Target t = target(api, Receiver.Reply.ok());
    Session s = sessionFor(t);
    for (int i = 0; i < 51; i++) {
      sendMessage(t, "page.test");
    }

    String first = page(log(t) + "?event_type=page.test", s);
    Matcher next = Pattern.compile("href=\"([^\"]+)\" id=\"next-page\"").matcher(first);
    assertThat(next.find()).as(first).isTrue();
    String link = next.group(1).replace("&amp;", "&");
    assertThat(link).contains("event_type=page.test", "iterator=msg_");

    String second = page(link, s);
    assertThat(second).contains("id=\"newest-page\"").doesNotContain("id=\"next-page\"");
    assertThat(Pattern.compile("/portal/messages/msg_").matcher(second).results().count())
        .isEqualTo(1);
  }

  @Test
  void a_message_shows_its_payload_and_every_attempt_and_a_resend_adds_one() {
    Target t = target(api, Receiver.Reply.status(500).withBody("upstream exploded"));
    Session s = sessionFor(t);
    String msg = sendMessage(t, Map.of("eventType", "invoice.paid", "payload", Map.of("a", 1)));
    awaitAttempts(t, msg, 1);

    String detail = page("/portal/messages/" + msg, s);
    assertThat(detail)
        .contains("{\n  \"a\" : 1\n}")
        .contains(msg, "invoice.paid", "upstream exploded", "500 · endpoint error", " ms")
        .contains("scheduled", "webhook-signature", "class=\"msg-resend\"");

    HttpResponse<String> resent =
        post("/portal/messages/" + msg + "/resend", s, form(s, "endpoint", t.endpoint()));
    assertThat(resent.statusCode()).as(resent.body()).isEqualTo(303);
    String location = resent.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/portal/messages/" + msg + "?resent=" + t.endpoint());

    String after = page(location, s);
    assertThat(after).contains("Resend queued");
    String fragment =
        Eventually.await(
            "the resend's attempt",
            () -> page("/portal/messages/" + msg + "/attempts?" + location.split("\\?")[1], s),
            f -> f.contains("manual (resend)"));
    assertThat(fragment.strip()).startsWith("<section id=\"attempts\"").doesNotContain("hx-get");
    assertThat(t.receiver().count()).isEqualTo(2);
  }

  @Test
  void recover_counts_the_failed_deliveries_first_and_then_starts_sending_them_again() {
    Target t = target(api, Receiver.Reply.status(503));
    Session s = sessionFor(t);
    String since = local(Instant.now().minus(Duration.ofHours(1)));
    String a = sendMessage(t, "invoice.paid");
    String b = sendMessage(t, "invoice.paid");
    awaitAttempts(t, a, 1);
    awaitAttempts(t, b, 1);
    assertThat(page(log(t), s)).contains("id=\"recover-form\"");

    String confirm = page("/portal/endpoints/" + t.endpoint() + "/recover?since=" + since, s);
    assertThat(confirm).contains("<strong>2</strong>", "id=\"recover-confirm\"");
    assertThat(t.receiver().count()).isEqualTo(2);

    t.receiver().replyWith(Receiver.Reply.ok());
    HttpResponse<String> started =
        post("/portal/endpoints/" + t.endpoint() + "/recover", s, form(s, "since", since));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(303);
    String location = started.headers().firstValue("Location").orElseThrow();
    assertThat(page(location, s)).contains("Recovery started", "task <code>");
    t.receiver().awaitRequests(4, Duration.ofSeconds(15));

    String tooOld = local(Instant.now().minus(Duration.ofDays(20)));
    HttpResponse<String> refused =
        get("/portal/endpoints/" + t.endpoint() + "/recover?since=" + tooOld, s);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("class=\"error\"", "Since:");
  }

  @Test
  void a_view_only_session_sees_no_resend_or_recover_and_its_hand_made_posts_are_refused() {
    Target t = target(api, Receiver.Reply.status(500));
    String msg = sendMessage(t, "invoice.paid");
    awaitAttempts(t, msg, 1);
    Session s = sessionFor(t.org(), t.app(), Map.of("capabilities", List.of("ViewBase")));

    assertThat(page(log(t), s)).contains(msg).doesNotContain("recover-form");
    assertThat(page("/portal/messages/" + msg, s)).doesNotContain("msg-resend", "Resend<");
    String since = local(Instant.now().minus(Duration.ofHours(1)));
    assertThat(get("/portal/endpoints/" + t.endpoint() + "/recover?since=" + since, s).statusCode())
        .isEqualTo(403);

    HttpResponse<String> resend =
        post("/portal/messages/" + msg + "/resend", s, form(s, "endpoint", t.endpoint()));
    assertThat(resend.statusCode()).isEqualTo(403);
    assertThat(resend.body()).contains("lacks CreateAttempts");
    HttpResponse<String> recover =
        post("/portal/endpoints/" + t.endpoint() + "/recover", s, form(s, "since", since));
    assertThat(recover.statusCode()).isEqualTo(403);
    assertThat(t.receiver().count()).isEqualTo(1);
  }

  @Test
  void resend_and_recover_without_the_session_csrf_token_are_refused() {
    Target t = target(newOrg(), Receiver.Reply.status(500));
    String msg = sendMessage(t, "invoice.paid");
    awaitAttempts(t, msg, 1);
    Session s = sessionFor(t);
    String since = local(Instant.now().minus(Duration.ofHours(1)));

    assertThat(
            post("/portal/messages/" + msg + "/resend", s, Map.of("endpoint", t.endpoint()))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            post(
                    "/portal/endpoints/" + t.endpoint() + "/recover",
                    s,
                    Map.of("_csrf", "forged", "since", since))
                .statusCode())
        .isEqualTo(403);
    assertThat(t.receiver().count()).isEqualTo(1);
    assertThat(t.org().get("/api/v1/background-task").body().path("data").size()).isZero();
  }

  @Test
  void a_session_reaches_no_message_or_endpoint_of_another_application() {
    Target mine = target(api, Receiver.Reply.ok());
    Target other = target(api, Receiver.Reply.status(500));
    String msg = sendMessage(mine, "invoice.paid");
    String theirs = sendMessage(other, "invoice.paid");
    awaitAttempts(mine, msg, 1);
    awaitAttempts(other, theirs, 1);
    Session s = sessionFor(mine);
    String since = local(Instant.now().minus(Duration.ofHours(1)));

    assertThat(get("/portal/messages/" + theirs, s).statusCode()).isEqualTo(404);
    assertThat(get("/portal/messages/" + theirs + "/attempts", s).statusCode()).isEqualTo(404);
    assertThat(get("/portal/messages/" + msg + "?endpoint=" + other.endpoint(), s).statusCode())
        .isEqualTo(404);
    assertThat(get(log(other), s).statusCode()).isEqualTo(404);
    assertThat(
            get("/portal/endpoints/" + other.endpoint() + "/recover?since=" + since, s)
                .statusCode())
        .isEqualTo(404);
    HttpResponse<String> resend =
        post("/portal/messages/" + theirs + "/resend", s, form(s, "endpoint", other.endpoint()));
    assertThat(resend.statusCode()).isEqualTo(404);
    HttpResponse<String> crossed =
        post("/portal/messages/" + msg + "/resend", s, form(s, "endpoint", other.endpoint()));
    assertThat(crossed.statusCode()).isEqualTo(404);
    assertThat(other.receiver().count()).isEqualTo(1);
  }

  @Test
  void the_catalogue_groups_event_types_by_prefix_with_schema_and_example_and_hides_flagged_ones() {
    Api org = newOrg();
    String app = new Webhooks(org).createApp();
    assertThat(page("/portal/event-types", sessionFor(org, app, Map.of())))
        .contains("id=\"empty-state\"", "No event types yet");

    Map<String, Object> schema =
        Map.of(
            "type", "object",
            "properties", Map.of("amount", Map.of("type", "integer")),
            "examples", List.of(Map.of("amount", 1250)));
    assertThat(
            org.post(
                    "/api/v1/event-type",
                    Map.of(
                        "name", "invoice.paid",
                        "description", "An invoice was paid",
                        "schemas", Map.of("1", schema)))
                .status())
        .isEqualTo(201);
    assertThat(
            org.post(
                    "/api/v1/event-type",
                    Map.of("name", "invoice.voided", "description", "An invoice was voided"))
                .status())
        .isEqualTo(201);
    assertThat(
            org.post(
                    "/api/v1/event-type",
                    Map.of("name", "user.beta", "description", "Beta", "featureFlag", "beta"))
                .status())
        .isEqualTo(201);

    String plain = page("/portal/event-types", sessionFor(org, app, Map.of()));
    assertThat(plain)
        .contains("id=\"group-invoice\"", "invoice.paid", "invoice.voided", "An invoice was paid")
        .contains("\"amount\" : 1250", "\"type\" : \"integer\"")
        .contains("No schema is published")
        .contains("aria-current=\"page\">Event types")
        .doesNotContain("user.beta");
    assertThat(plain.indexOf("invoice.paid")).isLessThan(plain.indexOf("invoice.voided"));
    String beta =
        page("/portal/event-types", sessionFor(org, app, Map.of("featureFlags", List.of("beta"))));
    assertThat(beta).contains("id=\"group-user\"", "user.beta");
  }

  @Test
  void markup_in_a_payload_and_an_event_type_description_is_rendered_inert() {
    Api org = newOrg();
    Webhooks hooks = new Webhooks(org);
    String app = hooks.createApp();
    Receiver r = receiver().replyWith(Receiver.Reply.ok().withBody(MARKUP));
    Target t = new Target(org, app, hooks.createEndpoint(app, r.url()), r);
    assertThat(
            org.post("/api/v1/event-type", Map.of("name", "markup.test", "description", MARKUP))
                .status())
        .isEqualTo(201);
    String msg =
        sendMessage(t, Map.of("eventType", "markup.test", "payload", Map.of("note", MARKUP)));
    awaitAttempts(t, msg, 1);
    Session s = sessionFor(t);

    for (String path :
        List.of("/portal/messages/" + msg, "/portal/event-types", log(t) + "?tag=x")) {
      String body = page(path, s);
      assertThat(body).as(path).doesNotContain("<script>alert", "<img src=x");
    }
    assertThat(page("/portal/messages/" + msg, s)).contains(MARKUP_ESCAPED);
    assertThat(page("/portal/event-types", s)).contains(MARKUP_ESCAPED);
  }
}
