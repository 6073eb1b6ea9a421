package dev.herald.operational;

import dev.herald.application.Application;
import dev.herald.application.ApplicationService;
import dev.herald.endpoint.ApplicationEndpoints;
import dev.herald.endpoint.Endpoint;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.json.Json;
import dev.herald.message.Message;
import dev.herald.message.Subscription;
import dev.herald.store.ApplicationStore;
import dev.herald.store.DeliveryStore;
import dev.herald.store.EndpointStore;
import dev.herald.store.MessageStore;
import dev.herald.store.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Herald's own events about delivery problems (Svix's operational webhooks). An event is a message
 * of the org's internal application, written in the transaction of the change it reports, so it is
 * signed, retried and logged by the same engine as every other message, and never lost.
 */
public final class OperationalEvents
    implements ApplicationEndpoints.Listener, dev.herald.delivery.AttemptReports {

  public static final List<String> TYPES =
      List.of(
          "endpoint.created",
          "endpoint.updated",
          "endpoint.deleted",
          "endpoint.disabled",
          "message.attempt.failing",
          "message.attempt.exhausted",
          "message.attempt.recovered");

  /** A message that failed this many attempts at an endpoint is reported as failing. */
  public static final int FAILING_AFTER_ATTEMPTS =
      dev.herald.delivery.AttemptReports.FAILING_AFTER_ATTEMPTS;

  private static final Duration RETENTION = Duration.ofDays(90);

  private final ApplicationStore apps;
  private final EndpointStore endpoints;
  private final MessageStore messages;
  private final DeliveryStore deliveries;
  private final Ids ids;
  private final InstantSource clock;

  public OperationalEvents(
      ApplicationStore apps,
      EndpointStore endpoints,
      MessageStore messages,
      DeliveryStore deliveries,
      Ids ids,
      InstantSource clock) {
    this.apps = apps;
    this.endpoints = endpoints;
    this.messages = messages;
    this.deliveries = deliveries;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public void changed(Sql sql, String eventType, Application app, Endpoint endpoint) {
    emit(
        sql,
        app.orgId(),
        eventType,
        endpointData(app.id(), app.uid(), endpoint.id(), endpoint.uid()));
  }

  /** endpoint.disabled, for an endpoint the failure tracker just disabled. */
  @Override
  public void endpointDisabled(Sql sql, String endpointId) {
    endpoints
        .owner(sql, endpointId)
        .ifPresent(
            ref -> {
              Map<String, Object> data =
                  endpointData(ref.appId(), ref.appUid(), endpointId, ref.endpointUid());
              data.put(
                  "failSince",
                  ref.failingSince() == null ? null : Instant.ofEpochMilli(ref.failingSince()));
              emit(sql, ref.orgId(), "endpoint.disabled", data);
            });
  }

  /** message.attempt.failing / exhausted / recovered, about one delivery's last attempt. */
  @Override
  public void attemptEvent(
      Sql sql,
      String eventType,
      String orgId,
      String appId,
      String messageId,
      String endpointId,
      String attemptId,
      int responseStatusCode,
      Instant attemptedAt) {
    if (ApplicationService.isInternal(appId)) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("appId", appId);
    data.put("appUid", apps.uidOf(sql, appId).orElse(null));
    data.put("msgId", messageId);
    data.put("msgEventId", messages.eventIdOf(sql, messageId).orElse(null));
    data.put("endpointId", endpointId);
    Map<String, Object> last = new LinkedHashMap<>();
    last.put("id", attemptId);
    last.put("responseStatusCode", responseStatusCode);
    last.put("timestamp", attemptedAt);
    data.put("lastAttempt", last);
    emit(sql, orgId, eventType, data);
  }

  private static Map<String, Object> endpointData(
      String appId, String appUid, String endpointId, String endpointUid) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("appId", appId);
    data.put("appUid", appUid);
    data.put("endpointId", endpointId);
    data.put("endpointUid", endpointUid);
    return data;
  }

  /**
   * Writes the event as a message of the internal application, with one delivery per operational
   * endpoint that wants this type. Deliveries are left for the claim loop (NOTIFY wakes workers).
   */
  void emit(Sql sql, String orgId, String eventType, Map<String, Object> data) {
    var internal = apps.findInternal(sql, orgId);
    if (internal.isEmpty()) {
      return;
    }
    String appId = internal.get().id();
    if (data.get("appId") instanceof String subject && subject.equals(appId)) {
      return; // never report on the operational endpoints themselves
    }
    Instant now = clock.instant();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", eventType);
    body.put("timestamp", now);
    body.put("data", data);
    byte[] payload = Json.writeBytes(body);
    // Operational endpoints are chosen like any other: event type, then content filter.
    List<String> targets =
        Subscription.targets(endpoints.listRoutes(sql, appId), eventType, null, payload);
    if (targets.isEmpty()) {
      return;
    }
    Message m =
        new Message(
            ids.next(IdPrefix.MESSAGE),
            orgId,
            appId,
            eventType,
            null,
            null,
            payload,
            null,
            now,
            now.plus(RETENTION));
    messages.insert(sql, m);
    List<DeliveryStore.NewDelivery> rows = new ArrayList<>();
    for (String endpointId : targets) {
      rows.add(
          new DeliveryStore.NewDelivery(
              ids.next(IdPrefix.DELIVERY),
              orgId,
              appId,
              m.id(),
              endpointId,
              false,
              now,
              null,
              null,
              now));
    }
    deliveries.insert(sql, rows);
    sql.dialect().notifyWork(sql, null);
  }
}
