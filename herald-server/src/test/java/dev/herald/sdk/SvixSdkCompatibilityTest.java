package dev.herald.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.svix.Svix;
import com.svix.SvixOptions;
import com.svix.Webhook;
import com.svix.api.ApplicationCreateOptions;
import com.svix.api.ApplicationListOptions;
import com.svix.api.BackgroundTaskListOptions;
import com.svix.api.EndpointCreateOptions;
import com.svix.api.EndpointListOptions;
import com.svix.api.EventTypeDeleteOptions;
import com.svix.api.EventTypeListOptions;
import com.svix.api.Message;
import com.svix.api.MessageAttemptListAttemptedMessagesOptions;
import com.svix.api.MessageAttemptListByEndpointOptions;
import com.svix.api.MessageAttemptListByMsgOptions;
import com.svix.api.MessageCreateOptions;
import com.svix.api.MessageGetOptions;
import com.svix.api.MessageListOptions;
import com.svix.exceptions.ApiException;
import com.svix.models.AppPortalAccessIn;
import com.svix.models.AppPortalAccessOut;
import com.svix.models.AppPortalCapability;
import com.svix.models.ApplicationIn;
import com.svix.models.ApplicationOut;
import com.svix.models.ApplicationPatch;
import com.svix.models.ApplicationTokenExpireIn;
import com.svix.models.BackgroundTaskOut;
import com.svix.models.BackgroundTaskStatus;
import com.svix.models.BackgroundTaskType;
import com.svix.models.EndpointHeadersIn;
import com.svix.models.EndpointHeadersOut;
import com.svix.models.EndpointHeadersPatchIn;
import com.svix.models.EndpointIn;
import com.svix.models.EndpointMessageOut;
import com.svix.models.EndpointOut;
import com.svix.models.EndpointPatch;
import com.svix.models.EndpointSecretRotateIn;
import com.svix.models.EndpointStats;
import com.svix.models.EndpointUpdate;
import com.svix.models.EventExampleIn;
import com.svix.models.EventTypeIn;
import com.svix.models.EventTypeOut;
import com.svix.models.EventTypePatch;
import com.svix.models.EventTypeUpdate;
import com.svix.models.ListResponseApplicationOut;
import com.svix.models.ListResponseEventTypeOut;
import com.svix.models.ListResponseMessageAttemptOut;
import com.svix.models.ListResponseMessageOut;
import com.svix.models.MessageAttemptOut;
import com.svix.models.MessageAttemptTriggerType;
import com.svix.models.MessageEndpointOut;
import com.svix.models.MessageIn;
import com.svix.models.MessageOut;
import com.svix.models.MessageStatus;
import com.svix.models.MessageStatusText;
import com.svix.models.Ordering;
import com.svix.models.RecoverIn;
import com.svix.models.RecoverOut;
import dev.herald.testing.Api;
import dev.herald.testing.ApiContractTest;
import dev.herald.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * Drives Herald through the official Svix Java SDK, as a Svix user would after pointing the SDK's
 * server URL at Herald. Every call must parse, and every SDK request must be accepted.
 */
class SvixSdkCompatibilityTest extends ApiContractTest {
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(15);
  private static final SecureRandom RANDOM = new SecureRandom();

  private HttpServer receiver;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresToAnswer = new ConcurrentHashMap<>();
  private Svix svix;

  /** One request the receiver got. */
  record Delivery(String path, String webhookId, String body, Map<String, List<String>> headers) {}

  @Override
  protected Map<String, String> settings() {
    // No retries: a failed delivery stays failed until recover puts it back.
    return Map.of(
        "HERALD_SSRF_ALLOW", "127.0.0.0/8",
        "HERALD_POLL_INTERVAL", "50ms",
        "HERALD_RETRY_SCHEDULE", "none");
  }

  @BeforeParameterizedClassInvocation
  void startReceiverAndSdk() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String path = exchange.getRequestURI().getPath();
          deliveries.add(
              new Delivery(
                  path,
                  exchange.getRequestHeaders().getFirst("webhook-id"),
                  new String(body, StandardCharsets.UTF_8),
                  Map.copyOf(exchange.getRequestHeaders())));
          AtomicInteger failures = failuresToAnswer.get(path);
          boolean fail = failures != null && failures.getAndDecrement() > 0;
          exchange.sendResponseHeaders(fail ? 500 : 204, -1);
          exchange.close();
        });
    receiver.start();
    svix = sdk(TestServer.ADMIN_KEY);
  }

  @AfterParameterizedClassInvocation
  void stopReceiver() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  private Svix sdk(String token) {
    SvixOptions options = new SvixOptions();
    options.setServerUrl(server.baseUrl());
    return new Svix(token, options);
  }

  /** A receiver URL with a path of its own, so each test sees only its own deliveries. */
  private URI receiverUrl(String name) {
    return URI.create(
        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/" + uniqueUid(name));
  }

  private List<Delivery> deliveriesTo(URI url) {
    return deliveries.stream().filter(d -> d.path().equals(url.getPath())).toList();
  }

  private ApplicationOut newApp() throws Exception {
    return svix.getApplication().create(new ApplicationIn().name("SDK app").uid(uniqueUid("sdk")));
  }

  private EndpointOut newEndpoint(String appId, URI url) throws Exception {
    return svix.getEndpoint().create(appId, new EndpointIn().url(url).description("receiver"));
  }

  private static MessageIn message(String eventType, String payloadJson) {
    return new MessageIn().eventType(eventType).payload(payloadJson);
  }

  @FunctionalInterface
  interface Probe {
    boolean holds() throws Exception;
  }

  /** Polls until the probe holds; delivery and attempt recording happen after the API answers. */
  private static void eventually(String what, Probe probe) throws Exception {
    long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
    while (!probe.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(25);
    }
  }

  private List<MessageAttemptOut> attemptsOf(String appId, String msgId) throws Exception {
    return svix.getMessageAttempt().listByMsg(appId, msgId).getData();
  }

  private static int statusOf(ThrowingCall call) {
    try {
      call.run();
    } catch (ApiException e) {
      return e.getCode();
    } catch (Exception e) {
      throw new AssertionError("expected an ApiException, got " + e, e);
    }
    throw new AssertionError("expected an ApiException, the call succeeded");
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }

  // ---- applications ----

  @Test
  void applications_are_created_read_listed_updated_patched_and_deleted() throws Exception {
    var apps = svix.getApplication();
    String uid = uniqueUid("app");

    ApplicationOut created =
        apps.create(
            new ApplicationIn()
                .name("Acme")
                .uid(uid)
                .throttleRate(50L)
                .metadata(Map.of("tier", "gold")));
    ApplicationOut byUid = apps.get(uid);
    ApplicationOut updated = apps.update(uid, new ApplicationIn().name("Acme 2").uid(uid));
    ApplicationOut patched =
        apps.patch(created.getId(), new ApplicationPatch().metadata(Map.of("tier", "silver")));

    assertThat(created.getId()).startsWith("app_");
    assertThat(created.getName()).isEqualTo("Acme");
    assertThat(created.getUid()).isEqualTo(uid);
    assertThat(created.getThrottleRate()).isEqualTo(50L);
    assertThat(created.getMetadata()).containsEntry("tier", "gold");
    assertThat(created.getCreatedAt()).isNotNull();
    assertThat(created.getUpdatedAt()).isNotNull();
    assertThat(byUid).isEqualTo(created);
    assertThat(updated.getName()).isEqualTo("Acme 2");
    assertThat(updated.getThrottleRate()).isNull();
    assertThat(patched.getName()).isEqualTo("Acme 2");
    assertThat(patched.getMetadata()).containsExactly(Map.entry("tier", "silver"));

    apps.delete(created.getId());

    assertThat(statusOf(() -> apps.get(created.getId()))).isEqualTo(404);
  }

  @Test
  void application_update_on_an_unknown_uid_creates_it() throws Exception {
    String uid = uniqueUid("upsert");

    ApplicationOut out = svix.getApplication().update(uid, new ApplicationIn().name("Upserted"));

    assertThat(out.getUid()).isEqualTo(uid);
    assertThat(svix.getApplication().get(uid).getId()).isEqualTo(out.getId());
  }

  @Test
  void application_patch_can_clear_the_uid_and_throttle_rate() throws Exception {
    var apps = svix.getApplication();
    ApplicationOut created =
        apps.create(new ApplicationIn().name("Clear").uid(uniqueUid("clear")).throttleRate(5L));

    ApplicationOut patched =
        apps.patch(created.getId(), new ApplicationPatch().uid(null).throttleRate(null));

    assertThat(patched.getUid()).isNull();
    assertThat(patched.getThrottleRate()).isNull();
    assertThat(patched.getName()).isEqualTo("Clear");
  }

  @Test
  void get_or_create_returns_the_existing_application_the_second_time() throws Exception {
    String uid = uniqueUid("goc");
    ApplicationIn in = new ApplicationIn().name("Once").uid(uid);

    ApplicationOut first = svix.getApplication().getOrCreate(in);
    ApplicationOut second = svix.getApplication().getOrCreate(in);

    assertThat(second.getId()).isEqualTo(first.getId());
  }

  @Test
  void the_application_list_pages_with_the_sdk_options() throws Exception {
    Svix fresh = sdk(newOrgKey());
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      created.add(fresh.getApplication().create(new ApplicationIn().name("App " + i)).getId());
    }
    ApplicationListOptions firstPage = new ApplicationListOptions();
    firstPage.setLimit(2L);

    ListResponseApplicationOut page1 = fresh.getApplication().list(firstPage);
    ApplicationListOptions secondPage = new ApplicationListOptions();
    secondPage.setLimit(2L);
    secondPage.setIterator(page1.getIterator());
    ListResponseApplicationOut page2 = fresh.getApplication().list(secondPage);

    assertThat(page1.getData()).extracting(ApplicationOut::getId).isEqualTo(created.subList(0, 2));
    assertThat(page1.getDone()).isFalse();
    assertThat(page2.getData()).extracting(ApplicationOut::getId).containsExactly(created.get(2));
    assertThat(page2.getDone()).isTrue();
    assertThat(page2.getPrevIterator()).isNotNull();
  }

  @Test
  void an_idempotency_key_in_the_sdk_options_creates_the_application_once() throws Exception {
    Svix fresh = sdk(newOrgKey());
    ApplicationCreateOptions options = new ApplicationCreateOptions();
    options.setIdempotencyKey(uniqueUid("idem"));

    ApplicationOut first = fresh.getApplication().create(new ApplicationIn().name("Once"), options);
    ApplicationOut again = fresh.getApplication().create(new ApplicationIn().name("Once"), options);

    assertThat(again).isEqualTo(first);
    assertThat(fresh.getApplication().list().getData()).hasSize(1);
  }

  private String newOrgKey() {
    return server.herald().auth().createOrg("sdk-org").key();
  }

  // ---- errors ----

  @Test
  void sdk_errors_surface_as_api_exceptions_with_the_http_status() throws Exception {
    var apps = svix.getApplication();
    String uid = uniqueUid("taken");
    apps.create(new ApplicationIn().name("Taken").uid(uid));

    assertThatThrownBy(() -> apps.get(uniqueUid("missing")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(404);
              assertThat(e.getResponseBody()).contains("\"code\"", "not_found");
            });
    assertThatThrownBy(() -> apps.create(new ApplicationIn().name("Bad").uid("bad uid")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getResponseBody()).contains("\"loc\"", "uid");
            });
    assertThat(statusOf(() -> apps.create(new ApplicationIn().name("Dup").uid(uid))))
        .isEqualTo(409);
    assertThat(statusOf(() -> sdk("hk_not_a_real_key_0000000000000000").getApplication().list()))
        .isEqualTo(401);
  }

  // ---- event types ----

  @Test
  void event_types_are_created_listed_read_updated_patched_archived_and_expunged()
      throws Exception {
    Svix fresh = sdk(newOrgKey());
    var types = fresh.getEventType();
    Map<String, Object> schema = Map.of("1", Map.of("type", "object"));

    EventTypeOut created =
        types.create(
            new EventTypeIn().name("user.signup").description("Signed up").schemas(schema));
    EventTypeOut fetched = types.get("user.signup");
    EventTypeOut updated =
        types.update("user.signup", new EventTypeUpdate().description("Signed up v2"));
    EventTypeOut patched = types.patch("user.signup", new EventTypePatch().deprecated(true));

    assertThat(created.getName()).isEqualTo("user.signup");
    assertThat(created.getSchemas()).isEqualTo(schema);
    assertThat(created.getArchived()).isFalse();
    assertThat(fetched).isEqualTo(created);
    assertThat(updated.getDescription()).isEqualTo("Signed up v2");
    assertThat(patched.getDeprecated()).isTrue();
    assertThat(patched.getDescription()).isEqualTo("Signed up v2");

    EventTypeListOptions withContent = new EventTypeListOptions();
    withContent.setWithContent(true);
    types.create(new EventTypeIn().name("user.gone").description("Gone").schemas(schema));
    ListResponseEventTypeOut listed = types.list(withContent);
    assertThat(listed.getData())
        .extracting(EventTypeOut::getName)
        .containsExactly("user.gone", "user.signup");
    assertThat(listed.getData().get(0).getSchemas()).isEqualTo(schema);

    types.delete("user.gone");
    EventTypeListOptions archived = new EventTypeListOptions();
    archived.setIncludeArchived(true);
    assertThat(types.list().getData())
        .extracting(EventTypeOut::getName)
        .containsExactly("user.signup");
    assertThat(types.list(archived).getData()).hasSize(2);
    assertThat(types.get("user.gone").getArchived()).isTrue();

    EventTypeDeleteOptions expunge = new EventTypeDeleteOptions();
    expunge.setExpunge(true);
    types.delete("user.gone", expunge);
    assertThat(statusOf(() -> types.get("user.gone"))).isEqualTo(404);
    assertThat(
            statusOf(
                () -> types.create(new EventTypeIn().name("user.signup").description("again"))))
        .isEqualTo(409);
  }

  // ---- endpoints ----

  @Test
  void endpoints_are_created_read_listed_updated_patched_and_deleted() throws Exception {
    ApplicationOut app = newApp();
    String type = uniqueUid("ep.type");
    svix.getEventType().create(new EventTypeIn().name(type).description("For filters"));
    var endpoints = svix.getEndpoint();
    String uid = uniqueUid("ep");

    EndpointOut created =
        endpoints.create(
            app.getId(),
            new EndpointIn()
                .url(URI.create("https://example.com/hook"))
                .uid(uid)
                .description("Main")
                .filterTypes(Set.of(type))
                .channels(Set.of("project_1"))
                .throttleRate(10L)
                .metadata(Map.of("k", "v")));
    EndpointOut byUid = endpoints.get(app.getUid(), uid);
    EndpointOut updated =
        endpoints.update(
            app.getId(),
            created.getId(),
            new EndpointUpdate().url(URI.create("https://example.com/v2")).uid(uid));
    EndpointOut patched =
        endpoints.patch(
            app.getId(),
            created.getId(),
            new EndpointPatch().description("Patched").filterTypes(Set.of(type)));

    assertThat(created.getId()).startsWith("ep_");
    assertThat(created.getUrl()).isEqualTo(URI.create("https://example.com/hook"));
    assertThat(created.getFilterTypes()).containsExactly(type);
    assertThat(created.getChannels()).containsExactly("project_1");
    assertThat(created.getThrottleRate()).isEqualTo(10L);
    assertThat(created.getMetadata()).containsEntry("k", "v");
    assertThat(created.getVersion()).isEqualTo(1);
    assertThat(byUid).isEqualTo(created);
    assertThat(updated.getUrl()).isEqualTo(URI.create("https://example.com/v2"));
    assertThat(updated.getFilterTypes()).isNull();
    assertThat(updated.getChannels()).isNull();
    assertThat(patched.getDescription()).isEqualTo("Patched");
    assertThat(patched.getFilterTypes()).containsExactly(type);
    assertThat(endpoints.list(app.getId()).getData())
        .extracting(EndpointOut::getId)
        .containsExactly(created.getId());

    endpoints.delete(app.getId(), uid);

    assertThat(statusOf(() -> endpoints.get(app.getId(), created.getId()))).isEqualTo(404);
    assertThat(endpoints.list(app.getId()).getData()).isEmpty();
  }

  @Test
  void an_endpoint_filter_set_through_the_sdk_decides_what_it_receives() throws Exception {
    ApplicationOut app = newApp();
    String wanted = uniqueUid("wanted");
    String other = uniqueUid("other");
    svix.getEventType().create(new EventTypeIn().name(wanted).description("Wanted"));
    svix.getEventType().create(new EventTypeIn().name(other).description("Other"));
    URI url = receiverUrl("filtered");
    svix.getEndpoint().create(app.getId(), new EndpointIn().url(url).filterTypes(Set.of(wanted)));

    MessageOut skipped = svix.getMessage().create(app.getId(), message(other, "{\"n\": 1}"));
    MessageOut sent = svix.getMessage().create(app.getId(), message(wanted, "{\"n\": 2}"));

    eventually("the wanted message arrives", () -> !deliveriesTo(url).isEmpty());
    assertThat(deliveriesTo(url)).extracting(Delivery::webhookId).containsExactly(sent.getId());
    // Deliveries are decided when a message is accepted: none was made for the other type.
    assertThat(
            svix.getMessageAttempt()
                .listAttemptedDestinations(app.getId(), skipped.getId())
                .getData())
        .isEmpty();
  }

  @Test
  void an_unknown_filter_type_answers_422_through_the_sdk() throws Exception {
    ApplicationOut app = newApp();

    int status =
        statusOf(
            () ->
                svix.getEndpoint()
                    .create(
                        app.getId(),
                        new EndpointIn()
                            .url(URI.create("https://example.com/hook"))
                            .filterTypes(Set.of(uniqueUid("never.defined")))));

    assertThat(status).isEqualTo(422);
    assertThat(svix.getEndpoint().list(app.getId()).getData()).isEmpty();
  }

  @Test
  void endpoint_patch_can_clear_filters_through_the_sdk() throws Exception {
    ApplicationOut app = newApp();
    String type = uniqueUid("clear.type");
    svix.getEventType().create(new EventTypeIn().name(type).description("x"));
    EndpointOut created =
        svix.getEndpoint()
            .create(
                app.getId(),
                new EndpointIn()
                    .url(URI.create("https://example.com/hook"))
                    .filterTypes(Set.of(type))
                    .channels(Set.of("c")));

    EndpointOut patched =
        svix.getEndpoint()
            .patch(
                app.getId(), created.getId(), new EndpointPatch().filterTypes(null).channels(null));

    assertThat(patched.getFilterTypes()).isNull();
    assertThat(patched.getChannels()).isNull();
  }

  @Test
  void an_endpoint_created_with_an_idempotency_key_is_created_once() throws Exception {
    ApplicationOut app = newApp();
    EndpointCreateOptions options = new EndpointCreateOptions();
    options.setIdempotencyKey(uniqueUid("idem"));
    EndpointIn in = new EndpointIn().url(URI.create("https://example.com/once"));

    EndpointOut first = svix.getEndpoint().create(app.getId(), in, options);
    EndpointOut again = svix.getEndpoint().create(app.getId(), in, options);

    assertThat(again.getId()).isEqualTo(first.getId());
    EndpointListOptions list = new EndpointListOptions();
    list.setLimit(10L);
    assertThat(svix.getEndpoint().list(app.getId(), list).getData()).hasSize(1);
  }

  @Test
  void the_endpoint_secret_is_read_and_rotated_through_the_sdk() throws Exception {
    ApplicationOut app = newApp();
    EndpointOut ep = newEndpoint(app.getId(), URI.create("https://example.com/secret"));
    var endpoints = svix.getEndpoint();

    String before = endpoints.getSecret(app.getId(), ep.getId()).getKey();
    endpoints.rotateSecret(app.getId(), ep.getId(), new EndpointSecretRotateIn());
    String generated = endpoints.getSecret(app.getId(), ep.getId()).getKey();
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String chosen = "whsec_" + Base64.getEncoder().encodeToString(raw);
    endpoints.rotateSecret(
        app.getId(), ep.getId(), new EndpointSecretRotateIn().key(chosen).gracePeriodSeconds(0));

    assertThat(before).startsWith("whsec_");
    assertThat(generated).startsWith("whsec_").isNotEqualTo(before);
    assertThat(endpoints.getSecret(app.getId(), ep.getId()).getKey()).isEqualTo(chosen);
    assertThat(
            statusOf(
                () ->
                    endpoints.rotateSecret(
                        app.getId(),
                        ep.getId(),
                        new EndpointSecretRotateIn().gracePeriodSeconds(604_801))))
        .isEqualTo(422);
  }

  @Test
  void a_secret_supplied_at_creation_signs_deliveries_the_receiver_can_verify() throws Exception {
    ApplicationOut app = newApp();
    URI url = receiverUrl("signed");
    byte[] raw = new byte[24];
    RANDOM.nextBytes(raw);
    String secret = "whsec_" + Base64.getEncoder().encodeToString(raw);
    svix.getEndpoint().create(app.getId(), new EndpointIn().url(url).secret(secret));

    MessageOut sent = svix.getMessage().create(app.getId(), message("signed.event", "{\"a\": 1}"));
    eventually("the delivery arrives", () -> !deliveriesTo(url).isEmpty());

    Delivery d = deliveriesTo(url).get(0);
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(d.headers());
    new Webhook(secret).verify(d.body(), headers);
    assertThat(d.webhookId()).isEqualTo(sent.getId());
  }

  @Test
  void endpoint_headers_are_read_replaced_and_patched_through_the_sdk() throws Exception {
    ApplicationOut app = newApp();
    EndpointOut ep = newEndpoint(app.getId(), URI.create("https://example.com/headers"));
    var endpoints = svix.getEndpoint();

    endpoints.updateHeaders(
        app.getId(),
        ep.getId(),
        new EndpointHeadersIn()
            .headers(Map.of("X-Tenant", "acme", "X-Drop", "1", "Authorization", "Bearer s3cr3t")));
    EndpointHeadersOut afterPut = endpoints.getHeaders(app.getId(), ep.getId());
    endpoints.patchHeaders(
        app.getId(),
        ep.getId(),
        new EndpointHeadersPatchIn()
            .headers(Map.of("X-New", "2"))
            .deleteHeaders(List.of("X-Drop")));
    EndpointHeadersOut afterPatch = endpoints.getHeaders(app.getId(), ep.getId());

    assertThat(afterPut.getHeaders())
        .containsOnly(Map.entry("X-Tenant", "acme"), Map.entry("X-Drop", "1"));
    assertThat(afterPut.getSensitive()).containsExactly("Authorization");
    assertThat(afterPatch.getHeaders())
        .containsOnly(Map.entry("X-Tenant", "acme"), Map.entry("X-New", "2"));
    assertThat(afterPatch.getSensitive()).containsExactly("Authorization");
    assertThat(
            statusOf(
                () ->
                    endpoints.updateHeaders(
                        app.getId(),
                        ep.getId(),
                        new EndpointHeadersIn().headers(Map.of("Host", "x")))))
        .isEqualTo(422);
  }

  // ---- messages ----

  @Test
  void messages_are_created_read_listed_and_expunged_through_the_sdk() throws Exception {
    ApplicationOut app = newApp();
    var messages = svix.getMessage();
    String eventId = uniqueUid("evt");

    MessageOut created =
        messages.create(
            app.getId(),
            message("order.created", "{\"order\": 42, \"items\": [\"a\", \"b\"]}")
                .eventId(eventId)
                .channels(Set.of("orders")));
    MessageOut byEventId = messages.get(app.getId(), eventId);
    MessageGetOptions noContent = new MessageGetOptions();
    noContent.setWithContent(false);
    MessageOut withoutContent = messages.get(app.getId(), created.getId(), noContent);

    assertThat(created.getId()).startsWith("msg_");
    assertThat(created.getEventType()).isEqualTo("order.created");
    assertThat(created.getEventId()).isEqualTo(eventId);
    assertThat(created.getChannels()).containsExactly("orders");
    assertThat(created.getTimestamp()).isNotNull();
    assertThat(created.getPayload()).isEqualTo(Map.of("order", 42, "items", List.of("a", "b")));
    assertThat(byEventId).isEqualTo(created);
    assertThat(withoutContent.getPayload()).isEqualTo(Map.of());

    messages.expungeContent(app.getId(), created.getId());

    assertThat(messages.get(app.getId(), created.getId()).getPayload()).isEqualTo(Map.of());
    assertThat(
            statusOf(
                () ->
                    messages.create(app.getId(), message("order.created", "{}").eventId(eventId))))
        .isEqualTo(409);
  }

  @Test
  void the_message_list_honours_the_sdk_filters() throws Exception {
    ApplicationOut app = newApp();
    var messages = svix.getMessage();
    MessageOut a = messages.create(app.getId(), message("type.a", "{}").channels(Set.of("blue")));
    Thread.sleep(5);
    MessageOut b = messages.create(app.getId(), message("type.b", "{\"x\": 1}"));

    MessageListOptions byChannel = new MessageListOptions();
    byChannel.setChannel("blue");
    MessageListOptions byType = new MessageListOptions();
    byType.setEventTypes(Set.of("type.b"));
    MessageListOptions before = new MessageListOptions();
    before.setBefore(b.getTimestamp());
    MessageListOptions after = new MessageListOptions();
    after.setAfter(a.getTimestamp().withOffsetSameInstant(ZoneOffset.ofHours(2)));
    MessageListOptions noContent = new MessageListOptions();
    noContent.setWithContent(false);
    noContent.setLimit(1L);

    ListResponseMessageOut all = messages.list(app.getId());
    ListResponseMessageOut firstPage = messages.list(app.getId(), noContent);

    assertThat(all.getData()).extracting(MessageOut::getId).containsExactly(b.getId(), a.getId());
    assertThat(messages.list(app.getId(), byChannel).getData())
        .extracting(MessageOut::getId)
        .containsExactly(a.getId());
    assertThat(messages.list(app.getId(), byType).getData())
        .extracting(MessageOut::getId)
        .containsExactly(b.getId());
    assertThat(messages.list(app.getId(), before).getData())
        .extracting(MessageOut::getId)
        .containsExactly(a.getId());
    assertThat(messages.list(app.getId(), after).getData())
        .extracting(MessageOut::getId)
        .containsExactly(b.getId());
    assertThat(firstPage.getData()).hasSize(1);
    assertThat(firstPage.getData().get(0).getPayload()).isEqualTo(Map.of());
    assertThat(firstPage.getDone()).isFalse();
  }

  @Test
  void a_raw_message_from_the_sdk_is_delivered_byte_for_byte() throws Exception {
    ApplicationOut app = newApp();
    URI url = receiverUrl("raw");
    newEndpoint(app.getId(), url);
    String raw = "{\"spacing\":  \"kept\" , \"order\": [3,1,2]}";

    MessageIn in = Message.messageInRaw(raw).eventType("raw.event");
    MessageOut sent = svix.getMessage().create(app.getId(), in);
    eventually("the raw message arrives", () -> !deliveriesTo(url).isEmpty());

    assertThat(deliveriesTo(url).get(0).body()).isEqualTo(raw);
    assertThat(sent.getPayload()).isEqualTo(Map.of("spacing", "kept", "order", List.of(3, 1, 2)));
  }

  @Test
  void a_message_with_application_details_creates_the_application() throws Exception {
    String uid = uniqueUid("implicit");
    MessageCreateOptions options = new MessageCreateOptions();
    options.setIdempotencyKey(uniqueUid("idem"));

    MessageOut sent =
        svix.getMessage()
            .create(
                uid,
                message("a.b", "{}").application(new ApplicationIn().name("Implicit").uid(uid)),
                options);
    MessageOut replayed =
        svix.getMessage()
            .create(
                uid,
                message("a.b", "{}").application(new ApplicationIn().name("Implicit").uid(uid)),
                options);

    assertThat(svix.getApplication().get(uid).getName()).isEqualTo("Implicit");
    assertThat(replayed.getId()).isEqualTo(sent.getId());
    assertThat(svix.getMessage().list(uid).getData()).hasSize(1);
  }

  // ---- attempts, stats, recover ----

  @Test
  void attempts_are_listed_read_resent_and_expunged_through_the_sdk() throws Exception {
    ApplicationOut app = newApp();
    URI url = receiverUrl("attempts");
    EndpointOut ep = newEndpoint(app.getId(), url);
    MessageOut msg =
        svix.getMessage().create(app.getId(), message("attempt.event", "{\"try\": 1}"));
    var attempts = svix.getMessageAttempt();

    eventually("one attempt is recorded", () -> attemptsOf(app.getId(), msg.getId()).size() == 1);
    MessageAttemptOut first = attemptsOf(app.getId(), msg.getId()).get(0);
    MessageAttemptOut fetched = attempts.get(app.getId(), msg.getId(), first.getId());
    ListResponseMessageAttemptOut byEndpoint = attempts.listByEndpoint(app.getId(), ep.getId());
    List<EndpointMessageOut> attemptedMessages =
        attempts.listAttemptedMessages(app.getId(), ep.getId()).getData();
    List<MessageEndpointOut> destinations =
        attempts.listAttemptedDestinations(app.getId(), msg.getId()).getData();

    assertThat(first.getId()).startsWith("atmpt_");
    assertThat(first.getMsgId()).isEqualTo(msg.getId());
    assertThat(first.getEndpointId()).isEqualTo(ep.getId());
    assertThat(first.getUrl()).isEqualTo(url);
    assertThat(first.getResponseStatusCode()).isEqualTo((short) 204);
    assertThat(first.getStatus()).isEqualTo(MessageStatus.SUCCESS);
    assertThat(first.getStatusText()).isEqualTo(MessageStatusText.SUCCESS);
    assertThat(first.getTriggerType()).isEqualTo(MessageAttemptTriggerType.SCHEDULED);
    assertThat(first.getTimestamp()).isNotNull();
    assertThat(first.getResponseDurationMs()).isNotNull();
    assertThat(fetched.getId()).isEqualTo(first.getId());
    assertThat(byEndpoint.getData())
        .extracting(MessageAttemptOut::getId)
        .containsExactly(first.getId());
    assertThat(attemptedMessages)
        .extracting(EndpointMessageOut::getId)
        .containsExactly(msg.getId());
    assertThat(attemptedMessages.get(0).getStatus()).isEqualTo(MessageStatus.SUCCESS);
    assertThat(attemptedMessages.get(0).getPayload()).isEqualTo(Map.of("try", 1));
    assertThat(destinations).extracting(MessageEndpointOut::getId).containsExactly(ep.getId());
    assertThat(destinations.get(0).getStatus()).isEqualTo(MessageStatus.SUCCESS);
    assertThat(destinations.get(0).getUrl()).isEqualTo(url);

    resendAsTheSdkMeansTo(app.getId(), msg.getId(), ep.getId());
    eventually("the resend is recorded", () -> attemptsOf(app.getId(), msg.getId()).size() == 2);
    assertThat(deliveriesTo(url)).hasSize(2);
    assertThat(attemptsOf(app.getId(), msg.getId()))
        .extracting(MessageAttemptOut::getTriggerType)
        .containsExactlyInAnyOrder(
            MessageAttemptTriggerType.SCHEDULED, MessageAttemptTriggerType.MANUAL);

    attempts.expungeContent(app.getId(), msg.getId(), first.getId());
    assertThat(attempts.get(app.getId(), msg.getId(), first.getId()).getResponse()).isEmpty();
  }

  @Test
  void attempt_lists_honour_the_sdk_filters() throws Exception {
    ApplicationOut app = newApp();
    URI url = receiverUrl("attempt-filters");
    EndpointOut ep = newEndpoint(app.getId(), url);
    MessageOut msg = svix.getMessage().create(app.getId(), message("filter.event", "{}"));
    eventually("one attempt is recorded", () -> attemptsOf(app.getId(), msg.getId()).size() == 1);

    MessageAttemptListByEndpointOptions failed = new MessageAttemptListByEndpointOptions();
    failed.setStatus(MessageStatus.FAIL);
    MessageAttemptListByEndpointOptions succeeded = new MessageAttemptListByEndpointOptions();
    succeeded.setStatus(MessageStatus.SUCCESS);
    succeeded.setEventTypes(Set.of("filter.event"));
    MessageAttemptListByMsgOptions forEndpoint = new MessageAttemptListByMsgOptions();
    forEndpoint.setEndpointId(ep.getId());
    forEndpoint.setLimit(5L);

    assertThat(svix.getMessageAttempt().listByEndpoint(app.getId(), ep.getId(), failed).getData())
        .isEmpty();
    assertThat(
            svix.getMessageAttempt().listByEndpoint(app.getId(), ep.getId(), succeeded).getData())
        .hasSize(1);
    assertThat(svix.getMessageAttempt().listByMsg(app.getId(), msg.getId(), forEndpoint).getData())
        .hasSize(1);
  }

  @Test
  void endpoint_stats_count_deliveries_through_the_sdk() throws Exception {
    ApplicationOut app = newApp();
    URI url = receiverUrl("stats");
    EndpointOut ep = newEndpoint(app.getId(), url);
    for (int i = 0; i < 3; i++) {
      svix.getMessage().create(app.getId(), message("stats.event", "{\"i\": " + i + "}"));
    }

    eventually(
        "three deliveries succeed",
        () -> svix.getEndpoint().getStats(app.getId(), ep.getId()).getSuccess() == 3);
    EndpointStats stats = svix.getEndpoint().getStats(app.getId(), ep.getId());

    assertThat(stats.getSuccess()).isEqualTo(3L);
    assertThat(stats.getFail()).isZero();
    assertThat(stats.getPending()).isZero();
    assertThat(stats.getSending()).isZero();
    assertThat(stats.getCanceled()).isNotNull();
  }

  @Test
  void recover_starts_a_background_task_the_sdk_can_read() throws Exception {
    ApplicationOut app = newApp();
    URI url = receiverUrl("recover");
    EndpointOut ep = newEndpoint(app.getId(), url);

    RecoverOut recover =
        svix.getEndpoint()
            .recover(
                app.getId(),
                ep.getId(),
                new RecoverIn().since(OffsetDateTime.now(ZoneOffset.UTC).minusHours(1)));

    assertThat(recover.getId()).startsWith("qtask_");
    assertThat(recover.getTask()).isEqualTo(BackgroundTaskType.ENDPOINT_RECOVER);
    assertThat(recover.getStatus())
        .isIn(BackgroundTaskStatus.RUNNING, BackgroundTaskStatus.FINISHED);
    assertThat(recover.getUpdatedAt()).isNotNull();
    eventually(
        "the task finishes",
        () ->
            svix.getBackgroundTask().get(recover.getId()).getStatus()
                == BackgroundTaskStatus.FINISHED);
    BackgroundTaskOut task = svix.getBackgroundTask().get(recover.getId());
    assertThat(task.getId()).isEqualTo(recover.getId());
    assertThat(task.getTask()).isEqualTo(BackgroundTaskType.ENDPOINT_RECOVER);
    assertThat(task.getData()).isNotNull();
    assertThat(statusOf(() -> svix.getBackgroundTask().get("qtask_unknown"))).isEqualTo(404);
  }

  @Test
  void the_sdk_lists_background_tasks_by_status_and_kind() throws Exception {
    ApplicationOut app = newApp();
    EndpointOut ep = newEndpoint(app.getId(), receiverUrl("recover-list"));
    RecoverOut recover =
        svix.getEndpoint()
            .recover(
                app.getId(),
                ep.getId(),
                new RecoverIn().since(OffsetDateTime.now(ZoneOffset.UTC).minusHours(1)));
    BackgroundTaskListOptions finished = new BackgroundTaskListOptions();
    finished.setStatus(BackgroundTaskStatus.FINISHED);
    finished.setTask(BackgroundTaskType.ENDPOINT_RECOVER);
    finished.setOrder(Ordering.DESCENDING);
    finished.setLimit(10L);

    eventually(
        "the task is listed as finished",
        () ->
            svix.getBackgroundTask().list(finished).getData().stream()
                .anyMatch(t -> t.getId().equals(recover.getId())));
    BackgroundTaskListOptions failed = new BackgroundTaskListOptions();
    failed.setStatus(BackgroundTaskStatus.FAILED);
    assertThat(svix.getBackgroundTask().list(failed).getData())
        .extracting(BackgroundTaskOut::getId)
        .doesNotContain(recover.getId());
  }

  @Test
  void recover_redelivers_a_message_that_failed() throws Exception {
    ApplicationOut app = newApp();
    URI url = receiverUrl("recover-failed");
    EndpointOut ep = newEndpoint(app.getId(), url);
    failuresToAnswer.put(url.getPath(), new AtomicInteger(1_000));
    MessageOut msg = svix.getMessage().create(app.getId(), message("recover.event", "{}"));
    eventually(
        "the delivery fails for good",
        () ->
            svix
                .getMessageAttempt()
                .listAttemptedDestinations(app.getId(), msg.getId())
                .getData()
                .stream()
                .anyMatch(d -> d.getStatus() == MessageStatus.FAIL));
    failuresToAnswer.get(url.getPath()).set(0);
    int before = deliveriesTo(url).size();

    svix.getEndpoint()
        .recover(
            app.getId(),
            ep.getId(),
            new RecoverIn().since(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5)));

    eventually("the message is delivered again", () -> deliveriesTo(url).size() > before);
    assertThat(deliveriesTo(url)).extracting(Delivery::webhookId).containsOnly(msg.getId());
    eventually(
        "the recovered delivery is recorded as a success",
        () ->
            attemptsOf(app.getId(), msg.getId()).stream()
                .anyMatch(a -> a.getStatus() == MessageStatus.SUCCESS));
  }

  // ---- authentication ----

  @Test
  void an_app_portal_token_from_the_sdk_works_with_the_sdk_and_logout_revokes_it()
      throws Exception {
    ApplicationOut app = newApp();
    ApplicationOut other = newApp();
    newEndpoint(app.getId(), URI.create("https://example.com/portal"));

    AppPortalAccessOut access =
        svix.getAuthentication().appPortalAccess(app.getId(), new AppPortalAccessIn());
    Svix portal = sdk(access.getToken());

    assertThat(access.getUrl()).isNotNull();
    assertThat(portal.getEndpoint().list(app.getId()).getData()).hasSize(1);
    assertThat(portal.getEventType().list().getData()).isNotNull();
    assertThat(statusOf(() -> portal.getEndpoint().list(other.getId()))).isEqualTo(404);
    assertThat(statusOf(() -> portal.getApplication().list())).isEqualTo(403);

    assertThat(logoutAsTheSdkMeansTo(access.getToken()).status()).isEqualTo(204);

    assertThat(statusOf(() -> portal.getEndpoint().list(app.getId()))).isEqualTo(401);
  }

  @Test
  void app_portal_access_with_application_details_creates_the_application() throws Exception {
    String uid = uniqueUid("portal-new");

    AppPortalAccessOut access =
        svix.getAuthentication()
            .appPortalAccess(
                uid, new AppPortalAccessIn().application(new ApplicationIn().name("Via portal")));

    assertThat(access.getToken()).isNotEmpty();
    assertThat(svix.getApplication().get(uid).getName()).isEqualTo("Via portal");
  }

  /**
   * SDK 1.99.1 defect, not Herald's: {@code MessageAttempt.resend} and {@code
   * Authentication.logout} pass a null body for a POST, which OkHttp refuses before sending
   * anything. This pins that the failure is client-side (Herald never sees a request), so the
   * suites above send those two requests themselves, exactly as the SDK builds them otherwise:
   * POST, no body.
   */
  @Test
  void the_sdks_bodyless_posts_fail_in_the_client_before_reaching_herald() throws Exception {
    ApplicationOut app = newApp();
    URI url = receiverUrl("bodyless");
    EndpointOut ep = newEndpoint(app.getId(), url);
    MessageOut msg = svix.getMessage().create(app.getId(), message("bodyless.event", "{}"));
    eventually("one attempt is recorded", () -> attemptsOf(app.getId(), msg.getId()).size() == 1);
    String token =
        svix.getAuthentication().appPortalAccess(app.getId(), new AppPortalAccessIn()).getToken();

    assertThatThrownBy(() -> svix.getMessageAttempt().resend(app.getId(), msg.getId(), ep.getId()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must have a request body");
    assertThatThrownBy(() -> sdk(token).getAuthentication().logout())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must have a request body");

    assertThat(attemptsOf(app.getId(), msg.getId())).hasSize(1);
    assertThat(sdk(token).getEndpoint().list(app.getId()).getData()).hasSize(1);
  }

  @Test
  void logout_with_an_org_key_is_refused() {
    assertThat(logoutAsTheSdkMeansTo(TestServer.ADMIN_KEY).status()).isEqualTo(403);
  }

  /** {@code POST .../resend} with no body, as {@code MessageAttempt.resend} would send it. */
  private void resendAsTheSdkMeansTo(String appId, String msgId, String endpointId) {
    var r =
        server
            .api()
            .post(
                "/api/v1/app/" + appId + "/msg/" + msgId + "/endpoint/" + endpointId + "/resend",
                null);
    assertThat(r.status()).as("%s", r).isEqualTo(202);
    assertThat(r.body().isObject()).as("EmptyResponse parses from %s", r.text()).isTrue();
  }

  /** {@code POST /api/v1/auth/logout} with no body, as {@code Authentication.logout} would. */
  private Api.Response logoutAsTheSdkMeansTo(String token) {
    return server.api(token).post("/api/v1/auth/logout", null);
  }

  @Test
  void event_type_writes_with_a_portal_token_answer_403_through_the_sdk() throws Exception {
    ApplicationOut app = newApp();
    Svix portal =
        sdk(
            svix.getAuthentication()
                .appPortalAccess(app.getId(), new AppPortalAccessIn())
                .getToken());

    assertThat(
            statusOf(
                () -> portal.getEventType().create(new EventTypeIn().name("x.y").description("x"))))
        .isEqualTo(403);
  }

  @Test
  void app_portal_access_from_the_sdk_carries_capabilities_flags_session_and_expiry()
      throws Exception {
    ApplicationOut app = newApp();
    EndpointOut ep = newEndpoint(app.getId(), URI.create("https://example.com/capable"));
    String flagged = uniqueUid("sdk.flagged");
    svix.getEventType()
        .create(new EventTypeIn().name(flagged).description("flagged").featureFlag(uniqueUid("f")));

    AppPortalAccessOut access =
        svix.getAuthentication()
            .appPortalAccess(
                app.getId(),
                new AppPortalAccessIn()
                    .capabilities(
                        Set.of(
                            AppPortalCapability.VIEW_BASE,
                            AppPortalCapability.VIEW_ENDPOINT_SECRET))
                    .expiry(3600L)
                    .featureFlags(Set.of("sdk-beta"))
                    .readOnly(false)
                    .sessionId("sdk-session"));
    Svix portal = sdk(access.getToken());

    assertThat(portal.getEndpoint().getSecret(app.getId(), ep.getId()).getKey())
        .startsWith("whsec_");
    assertThat(
            statusOf(
                () ->
                    portal
                        .getEndpoint()
                        .create(
                            app.getId(),
                            new EndpointIn().url(URI.create("https://example.com/n")))))
        .isEqualTo(403);
    assertThat(statusOf(() -> portal.getEventType().get(flagged))).isEqualTo(404);
    var principal = server.herald().auth().authenticate(access.getToken());
    assertThat(principal.sessionId()).isEqualTo("sdk-session");
    assertThat(principal.featureFlags().granted()).containsExactly("sdk-beta");

    svix.getAuthentication()
        .expireAll(app.getId(), new ApplicationTokenExpireIn().sessionIds(List.of("sdk-session")));

    assertThat(statusOf(() -> portal.getEndpoint().list(app.getId()))).isEqualTo(401);
  }

  @Test
  void a_read_only_token_from_the_sdk_cannot_write() throws Exception {
    ApplicationOut app = newApp();
    EndpointOut ep = newEndpoint(app.getId(), URI.create("https://example.com/read-only"));
    Svix portal =
        sdk(
            svix.getAuthentication()
                .appPortalAccess(app.getId(), new AppPortalAccessIn().readOnly(true))
                .getToken());

    assertThat(portal.getEndpoint().get(app.getId(), ep.getId()).getId()).isEqualTo(ep.getId());
    assertThat(statusOf(() -> portal.getEndpoint().getSecret(app.getId(), ep.getId())))
        .isEqualTo(403);
    assertThat(
            statusOf(
                () ->
                    portal
                        .getEndpoint()
                        .patch(app.getId(), ep.getId(), new EndpointPatch().description("x"))))
        .isEqualTo(403);
  }

  @Test
  void the_sdk_sends_only_requests_herald_accepts_for_an_unknown_application() {
    String ghost = uniqueUid("ghost");

    assertThat(statusOf(() -> svix.getEndpoint().list(ghost))).isEqualTo(404);
    assertThat(statusOf(() -> svix.getMessage().list(ghost))).isEqualTo(404);
    assertThat(statusOf(() -> svix.getMessage().create(ghost, message("a.b", "{}"))))
        .isEqualTo(404);
    assertThatThrownBy(() -> svix.getApplication().delete(ghost)).isInstanceOf(ApiException.class);
  }

  // ---- fields Herald once dropped (hardening #9 points 7 and 13) ----

  @Test
  void a_message_whose_application_uid_differs_from_the_path_answers_422_through_the_sdk() {
    String pathUid = uniqueUid("path");
    String bodyUid = uniqueUid("body");

    assertThat(
            statusOf(
                () ->
                    svix.getMessage()
                        .create(
                            pathUid,
                            message("a.b", "{}")
                                .application(new ApplicationIn().name("X").uid(bodyUid)))))
        .isEqualTo(422);
    assertThat(statusOf(() -> svix.getApplication().get(bodyUid))).isEqualTo(404);
  }

  @Test
  void message_tags_are_returned_and_filter_messages_and_attempts_through_the_sdk()
      throws Exception {
    ApplicationOut app = newApp();
    URI url = receiverUrl("tags");
    EndpointOut ep = newEndpoint(app.getId(), url);
    MessageOut tagged =
        svix.getMessage()
            .create(app.getId(), message("tag.event", "{}").tags(Set.of("blue", "a/b#c")));
    MessageOut plain = svix.getMessage().create(app.getId(), message("tag.event", "{}"));
    eventually("both are attempted", () -> deliveriesTo(url).size() == 2);
    eventually(
        "both attempts are recorded",
        () ->
            attemptsOf(app.getId(), tagged.getId()).size() == 1
                && attemptsOf(app.getId(), plain.getId()).size() == 1);

    MessageListOptions byTag = new MessageListOptions();
    byTag.setTag("blue");
    MessageAttemptListByEndpointOptions attemptsByTag = new MessageAttemptListByEndpointOptions();
    attemptsByTag.setTag("a/b#c");
    attemptsByTag.setWithMsg(true);
    MessageAttemptListByMsgOptions ofMsgByTag = new MessageAttemptListByMsgOptions();
    ofMsgByTag.setTag("blue");
    MessageAttemptListAttemptedMessagesOptions attemptedByTag =
        new MessageAttemptListAttemptedMessagesOptions();
    attemptedByTag.setTag("blue");

    assertThat(tagged.getTags()).containsExactlyInAnyOrder("blue", "a/b#c");
    assertThat(svix.getMessage().get(app.getId(), tagged.getId()).getTags())
        .containsExactlyInAnyOrder("blue", "a/b#c");
    assertThat(svix.getMessage().list(app.getId(), byTag).getData())
        .extracting(MessageOut::getId)
        .containsExactly(tagged.getId());
    List<MessageAttemptOut> attempts =
        svix.getMessageAttempt().listByEndpoint(app.getId(), ep.getId(), attemptsByTag).getData();
    assertThat(attempts).extracting(MessageAttemptOut::getMsgId).containsExactly(tagged.getId());
    assertThat(attempts.get(0).getMsg().getId()).isEqualTo(tagged.getId());
    assertThat(attempts.get(0).getMsg().getTags()).contains("blue");
    assertThat(svix.getMessageAttempt().listByMsg(app.getId(), plain.getId(), ofMsgByTag).getData())
        .isEmpty();
    List<EndpointMessageOut> attempted =
        svix.getMessageAttempt()
            .listAttemptedMessages(app.getId(), ep.getId(), attemptedByTag)
            .getData();
    assertThat(attempted).extracting(EndpointMessageOut::getId).containsExactly(tagged.getId());
    assertThat(attempted.get(0).getTags()).contains("blue");
  }

  @Test
  void a_scheduled_message_reads_back_with_deliver_at_through_the_sdk() throws Exception {
    // This SDK version drops deliverAt when it builds the create request (MessageInInternal has
    // no such field), so the message is scheduled over plain HTTP and read through the SDK.
    ApplicationOut app = newApp();
    URI url = receiverUrl("scheduled");
    EndpointOut ep = newEndpoint(app.getId(), url);
    OffsetDateTime deliverAt = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(3).withNano(0);
    Api.Response sent =
        api.post(
            "/api/v1/app/" + app.getId() + "/msg",
            Map.of(
                "eventType",
                "later.event",
                "payload",
                Map.of(),
                "deliverAt",
                deliverAt.toString()));
    assertThat(sent.status()).as("%s", sent).isEqualTo(202);

    MessageOut read = svix.getMessage().get(app.getId(), sent.field("id"));
    EndpointMessageOut pending =
        svix.getMessageAttempt().listAttemptedMessages(app.getId(), ep.getId()).getData().get(0);

    assertThat(read.getDeliverAt()).isEqualTo(deliverAt);
    assertThat(pending.getDeliverAt()).isEqualTo(deliverAt);
    assertThat(pending.getNextAttempt()).isEqualTo(deliverAt);
    assertThat(pending.getStatus()).isEqualTo(MessageStatus.PENDING);
    eventually("the scheduled message arrives", () -> deliveriesTo(url).size() == 1);
    assertThat(OffsetDateTime.now(ZoneOffset.UTC)).isAfterOrEqualTo(deliverAt);
  }

  @Test
  void the_application_list_exclusion_filters_work_through_the_sdk() throws Exception {
    Svix fresh = sdk(newOrgKey());
    ApplicationOut empty = fresh.getApplication().create(new ApplicationIn().name("empty"));
    ApplicationOut live = fresh.getApplication().create(new ApplicationIn().name("live"));
    fresh
        .getEndpoint()
        .create(live.getId(), new EndpointIn().url(URI.create("https://example.com/a")));
    ApplicationOut off = fresh.getApplication().create(new ApplicationIn().name("off"));
    fresh
        .getEndpoint()
        .create(
            off.getId(), new EndpointIn().url(URI.create("https://example.com/b")).disabled(true));
    ApplicationOut play = fresh.getApplication().create(new ApplicationIn().name("play"));
    fresh
        .getEndpoint()
        .create(play.getId(), new EndpointIn().url(URI.create("https://play.svix.com/in/e_x/")));

    ApplicationListOptions all = new ApplicationListOptions();
    all.setExcludeAppsWithNoEndpoints(true);
    all.setExcludeAppsWithDisabledEndpoints(true);
    all.setExcludeAppsWithSvixPlayEndpoints(true);
    ApplicationListOptions noEndpoints = new ApplicationListOptions();
    noEndpoints.setExcludeAppsWithNoEndpoints(true);

    assertThat(fresh.getApplication().list(all).getData())
        .extracting(ApplicationOut::getId)
        .containsExactly(live.getId());
    assertThat(fresh.getApplication().list(noEndpoints).getData())
        .extracting(ApplicationOut::getId)
        .containsExactlyInAnyOrder(live.getId(), off.getId(), play.getId())
        .doesNotContain(empty.getId());
  }

  @Test
  void the_deprecated_rate_limit_is_read_and_written_beside_throttle_rate_through_the_sdk()
      throws Exception {
    ApplicationOut app =
        svix.getApplication()
            .create(new ApplicationIn().name("rate").uid(uniqueUid("rate")).rateLimit(7L));
    EndpointOut ep =
        svix.getEndpoint()
            .create(
                app.getId(),
                new EndpointIn().url(URI.create("https://example.com/r")).rateLimit(3L));
    EndpointOut patched =
        svix.getEndpoint().patch(app.getId(), ep.getId(), new EndpointPatch().rateLimit(5L));
    ApplicationOut appPatched =
        svix.getApplication().patch(app.getId(), new ApplicationPatch().rateLimit(9L));

    assertThat(app.getThrottleRate()).isEqualTo(7L);
    assertThat(app.getRateLimit()).isEqualTo(7L);
    assertThat(ep.getThrottleRate()).isEqualTo(3L);
    assertThat(ep.getRateLimit()).isEqualTo(3L);
    assertThat(patched.getThrottleRate()).isEqualTo(5L);
    assertThat(appPatched.getThrottleRate()).isEqualTo(9L);
  }

  @Test
  void an_application_throttle_rate_set_through_the_sdk_spaces_its_deliveries() throws Exception {
    ApplicationOut app =
        svix.getApplication()
            .create(new ApplicationIn().name("slow").uid(uniqueUid("slow")).throttleRate(2L));
    URI url = receiverUrl("app-throttle");
    newEndpoint(app.getId(), url);
    long start = System.nanoTime();

    for (int i = 0; i < 4; i++) {
      svix.getMessage().create(app.getId(), message("slow.event", "{}"));
    }
    eventually("all four arrive", () -> deliveriesTo(url).size() == 4);

    // At 2/s the four requests start at least 500 ms apart: 1.5 s from the first to the last.
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1400));
  }

  @Test
  void an_endpoint_patch_with_a_secret_and_send_example_with_an_index_work_through_the_sdk()
      throws Exception {
    ApplicationOut app = newApp();
    URI url = receiverUrl("example-index");
    EndpointOut ep = newEndpoint(app.getId(), url);
    String secret =
        "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef01234567".getBytes());
    String type = uniqueUid("example.type");
    svix.getEventType()
        .create(
            new EventTypeIn()
                .name(type)
                .description("examples")
                .schemas(
                    Map.of(
                        "1",
                        Map.of(
                            "type",
                            "object",
                            "examples",
                            List.of(Map.of("n", 0), Map.of("n", 1))))));

    svix.getEndpoint().patch(app.getId(), ep.getId(), new EndpointPatch().secret(secret));
    svix.getEndpoint()
        .sendExample(
            app.getId(), ep.getId(), new EventExampleIn().eventType(type).exampleIndex(1L));

    assertThat(svix.getEndpoint().getSecret(app.getId(), ep.getId()).getKey()).isEqualTo(secret);
    eventually("the example arrives", () -> deliveriesTo(url).size() == 1);
    assertThat(deliveriesTo(url).get(0).body()).isEqualTo("{\"n\":1}");
  }

  @Test
  void an_event_type_group_name_and_feature_flags_round_trip_through_the_sdk() throws Exception {
    Svix fresh = sdk(newOrgKey());
    EventTypeOut created =
        fresh
            .getEventType()
            .create(
                new EventTypeIn()
                    .name("grouped.event")
                    .description("grouped")
                    .groupName("billing")
                    .featureFlags(Set.of("beta")));
    EventTypeOut patched =
        fresh.getEventType().patch("grouped.event", new EventTypePatch().groupName("invoices"));

    assertThat(created.getGroupName()).isEqualTo("billing");
    assertThat(created.getFeatureFlags()).containsExactly("beta");
    assertThat(patched.getGroupName()).isEqualTo("invoices");
    assertThat(patched.getFeatureFlags()).containsExactly("beta");
  }
}
