package dev.herald.portal;

import dev.herald.attempt.AttemptView;
import dev.herald.auth.Capability;
import dev.herald.auth.PortalSession;
import dev.herald.auth.Principal;
import dev.herald.endpoint.Endpoint;
import dev.herald.endpoint.EndpointHeaders;
import dev.herald.error.HeraldException;
import dev.herald.error.ValidationFailed;
import dev.herald.eventtype.EventType;
import dev.herald.page.Refusals;
import dev.herald.store.PageRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An endpoint's tabs: overview (its last 24 hours, why it is disabled), testing (send an example
 * and watch its attempts arrive) and advanced (signing secret, custom headers).
 */
final class EndpointDetailPages {
  /** A rotated secret keeps signing this long, as the API's default. */
  private static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

  private static final int SHOWN_ATTEMPTS = 20;

  private final PortalServices services;
  private final PortalRequests requests;
  private final EndpointPages endpointPages;

  EndpointDetailPages(
      PortalServices services, PortalRequests requests, EndpointPages endpointPages) {
    this.services = services;
    this.requests = requests;
    this.endpointPages = endpointPages;
  }

  void register(RoutesConfig routes) {
    routes.get("/portal/endpoints/{endpointId}", requests.page(this::overview));
    routes.get("/portal/endpoints/{endpointId}/testing", requests.page(this::testing));
    routes.post("/portal/endpoints/{endpointId}/testing", requests.page(this::sendExample));
    routes.get(
        "/portal/endpoints/{endpointId}/testing/attempts", requests.page(this::testAttempts));
    routes.get("/portal/endpoints/{endpointId}/advanced", requests.page(this::advanced));
    routes.post("/portal/endpoints/{endpointId}/secret/rotate", requests.page(this::rotate));
    routes.post("/portal/endpoints/{endpointId}/headers", requests.page(this::setHeader));
    routes.post("/portal/endpoints/{endpointId}/headers/delete", requests.page(this::deleteHeader));
  }

  private void overview(Context ctx) {
    PortalSession s = requests.session(ctx);
    Endpoint e = endpointPages.endpoint(ctx, s);
    Principal p = s.principal();
    var now = services.clock().instant();
    var health = services.attemptLog().health(p.orgId(), p.appId(), e.id(), now);
    requests
        .pages()
        .render(
            ctx,
            200,
            "portal/endpoint-overview.jte",
            new EndpointOverviewView(
                requests.frame(ctx, s, "endpoints"),
                e,
                health,
                Sparkline.of(health.day()),
                p.can(Capability.MANAGE_ENDPOINT)));
  }

  private void testing(Context ctx) {
    renderTesting(ctx, 200, requests.session(ctx), ctx.queryParam("msg"), null);
  }

  private void sendExample(Context ctx) {
    PortalSession s = requests.changing(ctx, Capability.CREATE_ATTEMPTS);
    Endpoint e = endpointPages.endpoint(ctx, s);
    Principal p = s.principal();
    String eventType = ctx.formParam("eventType");
    try {
      if (eventType == null || eventType.isBlank()) {
        throw ValidationFailed.of("eventType", "choose an event type", "value_error.missing");
      }
      var example = services.eventTypes().example(p.orgId(), eventType, p.featureFlags(), 0);
      var m =
          services
              .messages()
              .sendExample(p.orgId(), p.appId(), e.id(), eventType, services.endpoints(), example);
      ctx.redirect(
          "/portal/endpoints/" + e.id() + "/testing?msg=" + encode(m.id()), HttpStatus.SEE_OTHER);
    } catch (ValidationFailed ex) {
      renderTesting(ctx, 422, s, null, PortalRequests.explain(ex));
    }
  }

  /** The attempts fragment, polled by the testing tab while the delivery is not finished. */
  private void testAttempts(Context ctx) {
    PortalSession s = requests.session(ctx);
    Endpoint e = endpointPages.endpoint(ctx, s);
    requests
        .pages()
        .render(ctx, 200, "portal/test-attempts.jte", testRun(s, e, ctx.queryParam("msg")));
  }

  private void renderTesting(Context ctx, int status, PortalSession s, String msg, String error) {
    Endpoint e = endpointPages.endpoint(ctx, s);
    Principal p = s.principal();
    List<String> types =
        endpointPages.choices(p).groups().stream()
            .flatMap(g -> g.types().stream().map(EventType::name))
            .filter(n -> e.eventTypes() == null || e.eventTypes().contains(n))
            .toList();
    requests
        .pages()
        .render(
            ctx,
            status,
            "portal/endpoint-testing.jte",
            new EndpointTestingView(
                requests.frame(ctx, s, "endpoints"),
                e,
                types,
                p.can(Capability.CREATE_ATTEMPTS),
                msg == null ? null : testRun(s, e, msg),
                error));
  }

  private TestRun testRun(PortalSession s, Endpoint e, String msgId) {
    Principal p = s.principal();
    var log = services.attemptLog();
    // The delivery's state first, its attempts second: a result writes both in one transaction, so
    // a final state read first always comes with its attempt. Read the other way round, a result
    // committed between the two reads showed "success" with "No attempt yet", and the page, seeing
    // a final state, stopped polling.
    var delivery =
        log
            .destinationsOfMessage(p.orgId(), p.appId(), msgId, new PageRequest(50, null, false))
            .data()
            .stream()
            .filter(d -> d.id().equals(e.id()))
            .findFirst();
    List<AttemptView> attempts =
        log.byMessage(
                p.orgId(),
                p.appId(),
                msgId,
                e.id(),
                null,
                null,
                null,
                true,
                false,
                new PageRequest(SHOWN_ATTEMPTS, null, false))
            .data();
    return new TestRun(
        e.id(),
        attempts.isEmpty() ? msgId : attempts.getFirst().msgId(),
        attempts,
        delivery.map(d -> d.statusText()).orElse("pending"),
        delivery.map(d -> d.nextAttempt()).orElse(null));
  }

  private void advanced(Context ctx) {
    renderAdvanced(ctx, 200, requests.session(ctx), null);
  }

  private void renderAdvanced(Context ctx, int status, PortalSession s, String error) {
    Endpoint e = endpointPages.endpoint(ctx, s);
    Principal p = s.principal();
    boolean reveal = ctx.queryParam("reveal") != null && p.can(Capability.VIEW_ENDPOINT_SECRET);
    var now = services.clock().instant();
    requests
        .pages()
        .render(
            ctx,
            status,
            "portal/endpoint-advanced.jte",
            new EndpointAdvancedView(
                requests.frame(ctx, s, "endpoints"),
                e,
                p.can(Capability.VIEW_ENDPOINT_SECRET),
                p.can(Capability.MANAGE_ENDPOINT_SECRET),
                p.can(Capability.MANAGE_ENDPOINT),
                reveal ? e.secret().text() : null,
                reveal
                    ? e.oldSecrets().stream().filter(o -> o.expiresAt().isAfter(now)).toList()
                    : List.of(),
                e.headers().keySet().stream().sorted(String.CASE_INSENSITIVE_ORDER).toList(),
                error));
  }

  private void rotate(Context ctx) {
    PortalSession s = requests.changing(ctx, Capability.MANAGE_ENDPOINT_SECRET);
    Endpoint e = endpointPages.endpoint(ctx, s);
    Principal p = s.principal();
    services.endpoints().rotateSecret(p.orgId(), p.appId(), e.id(), null, ROTATION_OVERLAP);
    // Shown revealed: whoever rotates needs the new secret, and may read it (rotating implies it).
    ctx.redirect("/portal/endpoints/" + e.id() + "/advanced?reveal=1", HttpStatus.SEE_OTHER);
  }

  private void setHeader(Context ctx) {
    PortalSession s = requests.changing(ctx, Capability.MANAGE_ENDPOINT);
    Endpoint e = endpointPages.endpoint(ctx, s);
    String name = ctx.formParam("name") == null ? "" : ctx.formParam("name").strip();
    String value = ctx.formParam("value") == null ? "" : ctx.formParam("value");
    Map<String, String> patch = new LinkedHashMap<>();
    patch.put(name, value);
    changeHeaders(ctx, s, e, patch);
  }

  private void deleteHeader(Context ctx) {
    PortalSession s = requests.changing(ctx, Capability.MANAGE_ENDPOINT);
    Endpoint e = endpointPages.endpoint(ctx, s);
    String name = ctx.formParam("name");
    if (name == null || name.isBlank()) {
      renderAdvanced(ctx, 422, s, "Name: choose the header to remove");
      return;
    }
    Map<String, String> patch = new LinkedHashMap<>();
    patch.put(name, null);
    changeHeaders(ctx, s, e, patch);
  }

  private void changeHeaders(Context ctx, PortalSession s, Endpoint e, Map<String, String> patch) {
    Principal p = s.principal();
    try {
      EndpointHeaders.validate(patch);
      // Merged into the headers as they are inside the write, so one changed meanwhile is kept.
      services
          .endpoints()
          .updateHeaders(
              p.orgId(), p.appId(), e.id(), current -> EndpointHeaders.merge(current, patch));
    } catch (HeraldException ex) {
      renderAdvanced(ctx, Refusals.status(ex), s, PortalRequests.explain(ex));
      return;
    }
    ctx.redirect("/portal/endpoints/" + e.id() + "/advanced", HttpStatus.SEE_OTHER);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
