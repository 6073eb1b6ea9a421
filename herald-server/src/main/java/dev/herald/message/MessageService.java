package dev.herald.message;

import dev.herald.application.Application;
import dev.herald.application.ApplicationService;
import dev.herald.delivery.DeliveryConfig;
import dev.herald.delivery.DeliveryTask;
import dev.herald.delivery.Dispatcher;
import dev.herald.error.Conflict;
import dev.herald.error.NotFound;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.store.Database;
import dev.herald.store.DeliveryStore;
import dev.herald.store.EndpointStore;
import dev.herald.store.MessageStore;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Accepts messages: the message, its payload and one delivery per matching endpoint are committed
 * in one transaction before the caller hears 202. Deliveries this node can start at once are
 * written already leased to it and handed to its dispatcher after commit.
 */
public final class MessageService {

  private final Database db;
  private final MessageStore messages;
  private final DeliveryStore deliveries;
  private final EndpointStore endpoints;
  private final ApplicationService apps;
  private final Dispatcher dispatcher;
  private final DeliveryConfig config;
  private final Ids ids;
  private final InstantSource clock;

  public MessageService(Database db, MessageStore messages, DeliveryStore deliveries, EndpointStore endpoints,
      ApplicationService apps, Dispatcher dispatcher, DeliveryConfig config, Ids ids, InstantSource clock) {
    this.db = db;
    this.messages = messages;
    this.deliveries = deliveries;
    this.endpoints = endpoints;
    this.apps = apps;
    this.dispatcher = dispatcher;
    this.config = config;
    this.ids = ids;
    this.clock = clock;
  }

  public Message create(String orgId, String appIdOrUid, MessageIn in, String traceparent) {
    List<DeliveryTask> handoff = new ArrayList<>();
    List<String> reservations = new ArrayList<>();
    int[] queuedForClaim = {0};
    Message message;
    try {
      message = db.write(sql -> {
        handoff.clear();
        reservations.forEach(dispatcher::cancel);
        reservations.clear();
        Application app = resolveApp(sql, orgId, appIdOrUid, in);
        if (in.eventId() != null && messages.eventIdTaken(sql, app.id(), in.eventId())) {
          throw new Conflict("conflict", "a message with eventId " + in.eventId() + " already exists");
        }
        Instant now = clock.instant();
        Message m = new Message(ids.next(IdPrefix.MESSAGE), orgId, app.id(), in.eventType(), in.eventId(),
            in.channels(), in.payload(), traceparent, now, now.plus(Duration.ofDays(in.retentionDays())));
        messages.insert(sql, m);
        List<DeliveryStore.NewDelivery> rows = new ArrayList<>();
        Instant leaseUntil = now.plus(config.leaseDuration());
        for (EndpointStore.Route route : endpoints.listRoutes(sql, app.id())) {
          if (!Subscription.matches(route.eventTypes(), route.channels(), m.eventType(), m.channels())) {
            continue;
          }
          boolean local = dispatcher.reserve(route.id());
          String deliveryId = ids.next(IdPrefix.DELIVERY);
          rows.add(new DeliveryStore.NewDelivery(deliveryId, orgId, app.id(), m.id(), route.id(), false, now,
              local ? dispatcher.nodeId() : null, local ? leaseUntil : null, now));
          if (local) {
            reservations.add(route.id());
            handoff.add(new DeliveryTask(deliveryId, orgId, app.id(), m.id(), route.id(), 0, false, m.payload(),
                traceparent, now));
          }
        }
        deliveries.insert(sql, rows);
        queuedForClaim[0] = rows.size() - handoff.size();
        return m;
      });
    } catch (RuntimeException e) {
      reservations.forEach(dispatcher::cancel);
      throw e;
    }
    handoff.forEach(dispatcher::accept);
    if (queuedForClaim[0] > 0) {
      dispatcher.wake();
    }
    return message;
  }

  private Application resolveApp(Sql sql, String orgId, String appIdOrUid, MessageIn in) {
    if (in.application() == null) {
      return apps.find(sql, orgId, appIdOrUid);
    }
    // Svix creates the application on the fly when the message carries its details.
    return apps.findOptional(sql, orgId, appIdOrUid).orElseGet(() -> apps.insert(sql, orgId,
        new dev.herald.application.ApplicationIn(in.application().name(),
            in.application().uid() != null ? in.application().uid() : appIdOrUid,
            in.application().metadata(), in.application().throttleRate())));
  }

  public Message get(String orgId, String appIdOrUid, String idOrEventId) {
    return db.read(sql -> find(sql, orgId, appIdOrUid, idOrEventId));
  }

  public Message find(Sql sql, String orgId, String appIdOrUid, String idOrEventId) {
    Application app = apps.find(sql, orgId, appIdOrUid);
    return messages.find(sql, orgId, app.id(), idOrEventId)
        .orElseThrow(() -> new NotFound("message " + idOrEventId + " not found"));
  }

  public Page<Message> list(String orgId, String appIdOrUid, MessageStore.Filter filter, boolean withContent,
      PageRequest page) {
    return db.read(sql -> messages.list(sql, orgId, apps.find(sql, orgId, appIdOrUid).id(), filter, withContent, page));
  }

  /** Deletes the payload; the message and its attempt log stay. Pending deliveries then fail. */
  public void expungeContent(String orgId, String appIdOrUid, String idOrEventId) {
    db.writeVoid(sql -> messages.expungePayload(sql, find(sql, orgId, appIdOrUid, idOrEventId).id()));
  }
}
