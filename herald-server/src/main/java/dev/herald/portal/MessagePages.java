package dev.herald.portal;

import dev.herald.attempt.AttemptLog;
import dev.herald.attempt.AttemptLog.MessageEndpointView;
import dev.herald.attempt.AttemptView;
import dev.herald.auth.Capability;
import dev.herald.auth.PortalSession;
import dev.herald.auth.Principal;
import dev.herald.endpoint.Endpoint;
import dev.herald.error.BadRequest;
import dev.herald.eventtype.EventType;
import dev.herald.message.Message;
import dev.herald.message.MessageView;
import dev.herald.store.MessageLogStore;
import dev.herald.store.PageRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The portal's message pages: an endpoint's message log with its filters, a message with its
 * deliveries and attempts, and resend. Recover and the event catalogue are registered with them
 * ({@link RecoverPages}, {@link CataloguePage}).
 */
final class MessagePages {
  private static final int LOG_PAGE = 50;
  private static final int LISTED = PageRequest.MAX_LIMIT;

  /** Poll for a retry due this soon; a later one is not worth a request every two seconds. */
  private static final Duration POLL_AHEAD = Duration.ofMinutes(1);

  /** How long after a resend the page keeps polling for its attempt. */
  private static final Duration RESEND_WAIT = Duration.ofMinutes(2);

  private final PortalServices services;
  private final PortalRequests requests;
  private final AttemptLog log;

  MessagePages(PortalServices services, PortalRequests requests) {
    this.services = services;
    this.requests = requests;
    this.log = services.attemptLog();
  }

  void register(RoutesConfig routes) {
    routes.get("/portal/endpoints/{endpointId}/messages", requests.page(this::logPage));
    routes.get("/portal/messages/{msgId}", requests.page(this::detailPage));
    routes.get("/portal/messages/{msgId}/attempts", requests.page(this::attemptsFragment));
    routes.post("/portal/messages/{msgId}/resend", requests.page(this::resend));
    new RecoverPages(services, requests).register(routes);
    new CataloguePage(services, requests).register(routes);
  }

  private void logPage(Context ctx) {
    PortalSession s = requests.session(ctx);
    Principal p = s.principal();
    Endpoint ep = services.endpoints().get(p.orgId(), p.appId(), ctx.pathParam("endpointId"));
    MessageLogQuery q = MessageLogQuery.read(ctx);
    Instant now = services.clock().instant();
    MessageLogQuery.Resolved r = q.resolve(now);
    List<MessageLogStore.Entry> entries = List.of();
    String next = null;
    if (r.problems().isEmpty()) {
      var page =
          log.endpointLog(
              p.orgId(),
              p.appId(),
              ep.id(),
              r.filter(),
              r.state(),
              r.statusCodeClass(),
              new PageRequest(LOG_PAGE, q.iterator().isEmpty() ? null : q.iterator(), true));
      entries = page.data();
      String base = "/portal/endpoints/" + ep.id() + "/messages";
      next = page.done() ? null : q.link(base, page.iterator());
    }
    List<String> eventTypes =
        services
            .eventTypes()
            .list(p.orgId(), p.featureFlags(), false, false, new PageRequest(LISTED, null, false))
            .data()
            .stream()
            .map(EventType::name)
            .toList();
    var view =
        new MessageLogView(
            requests.frame(ctx, s, "endpoints"),
            ep,
            q,
            entries,
            r.problems(),
            next,
            eventTypes,
            p.can(Capability.CREATE_ATTEMPTS),
            MessageLogQuery.local(now.minus(Duration.ofDays(1))));
    requests
        .pages()
        .render(ctx, r.problems().isEmpty() ? 200 : 400, "portal/endpoint-messages.jte", view);
  }

  private void detailPage(Context ctx) {
    PortalSession s = requests.session(ctx);
    String notice = ctx.queryParam("resent") == null ? null : "Resend queued.";
    renderDetail(ctx, 200, s, notice);
  }

  private void renderDetail(Context ctx, int status, PortalSession s, String notice) {
    Principal p = s.principal();
    Message m = services.messages().get(p.orgId(), p.appId(), ctx.pathParam("msgId"));
    String payload =
        m.payload() == null
            ? null
            : DeliveryText.pretty(MessageView.payloadJson(m.payload(), true));
    var view =
        new MessageDetailView(
            requests.frame(ctx, s, "endpoints"), m, payload, attempts(ctx, s, m.id()), notice);
    requests.pages().render(ctx, status, "portal/message-detail.jte", view);
  }

  /** The attempts part alone: what the detail page's polling asks for. */
  private void attemptsFragment(Context ctx) {
    PortalSession s = requests.session(ctx);
    Principal p = s.principal();
    Message m = services.messages().get(p.orgId(), p.appId(), ctx.pathParam("msgId"));
    requests.pages().render(ctx, 200, "portal/message-attempts.jte", attempts(ctx, s, m.id()));
  }

  private MessageDetailView.Attempts attempts(Context ctx, PortalSession s, String msgId) {
    Principal p = s.principal();
    String endpoint = blankToNull(ctx.queryParam("endpoint"));
    List<MessageEndpointView> deliveries =
        log
            .destinationsOfMessage(
                p.orgId(), p.appId(), msgId, new PageRequest(LISTED, null, false))
            .data()
            .stream()
            .filter(d -> endpoint == null || endpoint.equals(d.id()) || endpoint.equals(d.uid()))
            .toList();
    List<AttemptView> attempts =
        log.byMessage(
                p.orgId(),
                p.appId(),
                msgId,
                endpoint,
                null,
                null,
                null,
                true,
                false,
                new PageRequest(LISTED, null, true))
            .data();
    Instant now = services.clock().instant();
    boolean retrySoon =
        deliveries.stream()
            .anyMatch(
                d ->
                    d.statusText().equals("sending")
                        || (d.statusText().equals("pending")
                            && (d.nextAttempt() == null
                                || d.nextAttempt().isBefore(now.plus(POLL_AHEAD)))));
    String resent = blankToNull(ctx.queryParam("resent"));
    Instant at = resendTime(ctx.queryParam("at"));
    boolean awaitingResend =
        resent != null
            && at != null
            && now.isBefore(at.plus(RESEND_WAIT))
            && attempts.stream()
                .noneMatch(a -> a.endpointId().equals(resent) && !a.timestamp().isBefore(at));
    StringBuilder poll = new StringBuilder("/portal/messages/" + msgId + "/attempts?");
    if (endpoint != null) {
      poll.append("endpoint=").append(encode(endpoint)).append('&');
    }
    if (awaitingResend) {
      poll.append("resent=").append(encode(resent)).append("&at=").append(at.toEpochMilli());
    }
    return new MessageDetailView.Attempts(
        msgId,
        endpoint,
        deliveries,
        attempts,
        p.can(Capability.CREATE_ATTEMPTS),
        s.csrfToken(),
        retrySoon || awaitingResend,
        poll.toString());
  }

  private void resend(Context ctx) {
    PortalSession s = requests.changing(ctx, Capability.CREATE_ATTEMPTS);
    Principal p = s.principal();
    String msgId = ctx.pathParam("msgId");
    String endpoint = blankToNull(ctx.formParam("endpoint"));
    if (endpoint == null) {
      renderDetail(ctx, 400, s, "Choose the endpoint to send the message to again.");
      return;
    }
    Instant at = services.clock().instant();
    try {
      services.messages().resend(p.orgId(), p.appId(), msgId, endpoint, services.endpoints());
    } catch (BadRequest e) {
      renderDetail(ctx, 400, s, e.detail());
      return;
    }
    // A redirect, so that reloading the page does not send the message once more.
    ctx.redirect(
        "/portal/messages/"
            + encode(msgId)
            + "?resent="
            + encode(endpoint)
            + "&at="
            + at.toEpochMilli(),
        HttpStatus.SEE_OTHER);
  }

  private static Instant resendTime(String millis) {
    try {
      return millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
