package dev.herald.message;

import dev.herald.application.Application;
import dev.herald.application.ApplicationService;
import dev.herald.delivery.DeliveryConfig;
import dev.herald.delivery.DeliveryTask;
import dev.herald.delivery.Dispatcher;
import dev.herald.error.Conflict;
import dev.herald.error.NotFound;
import dev.herald.error.ValidationFailed;
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
  /** How far ahead a message may be scheduled ({@code deliverAt}); Svix's limit. */
  public static final Duration DELIVER_AT_HORIZON = Duration.ofHours(24);
  /** How far in the past a {@code deliverAt} may lie and still mean "now" (client clock skew). */
  public static final Duration DELIVER_AT_SKEW = Duration.ofSeconds(10);

  private final Database db;
  /** Accepting writes are group-committed: concurrent requests share one transaction and one fsync. */
  private final dev.herald.store.GroupCommit commits;
  private final MessageStore messages;
  private final DeliveryStore deliveries;
  private final EndpointStore endpoints;
  private final ApplicationService apps;
  private final Dispatcher dispatcher;
  private final DeliveryConfig config;
  private final Ids ids;
  private final InstantSource clock;
  private final dev.herald.ops.Metrics metrics;

  public MessageService(Database db, MessageStore messages, DeliveryStore deliveries, EndpointStore endpoints,
      ApplicationService apps, Dispatcher dispatcher, DeliveryConfig config, Ids ids, InstantSource clock,
      dev.herald.ops.Metrics metrics, dev.herald.store.GroupCommit commits) {
    this.metrics = metrics;
    this.commits = commits;
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

  /**
   * Deliveries written in one accepting transaction: those this node reserved are handed to its
   * dispatcher after commit; on rollback the reservations are returned.
   */
  private final class Handoff {
    final List<DeliveryTask> local = new ArrayList<>();
    final List<String> reservations = new ArrayList<>();
    /** Deliveries created by a message create, counted once committed. */
    int created = -1;
    /** Deliveries inserted by any operation (resend and send-example too), counted once committed. */
    int inserted;

    void reset() {
      reservations.forEach(dispatcher::cancel);
      reservations.clear();
      local.clear();
      inserted = 0;
    }

    void insert(Sql sql, Message m, List<String> endpointIds, boolean manual) {
      insert(sql, m, endpointIds, manual, false);
    }

    /** {@code failingReported}: the deliveries carry on a failure already reported (a resend's recovery is news). */
    void insert(Sql sql, Message m, List<String> endpointIds, boolean manual, boolean failingReported) {
      Instant now = m.createdAt().isAfter(clock.instant()) ? m.createdAt() : clock.instant();
      Instant leaseUntil = now.plus(config.leaseDuration());
      // A scheduled message waits in the database until due; a manual resend goes at once.
      Instant due = manual ? now : m.firstDueAt(now);
      boolean scheduled = due.isAfter(now);
      List<DeliveryStore.NewDelivery> rows = new ArrayList<>();
      for (String endpointId : endpointIds) {
        boolean take = !scheduled && dispatcher.reserve(endpointId);
        String deliveryId = ids.next(IdPrefix.DELIVERY);
        rows.add(new DeliveryStore.NewDelivery(deliveryId, m.orgId(), m.appId(), m.id(), endpointId, manual,
            due, take ? dispatcher.nodeId() : null, take ? leaseUntil : null, now));
        if (take) {
          reservations.add(endpointId);
          local.add(new DeliveryTask(deliveryId, m.orgId(), m.appId(), m.id(), endpointId, 0, manual, m.payload(),
              m.traceparent(), m.createdAt(), failingReported));
        }
      }
      deliveries.insert(sql, rows);
      inserted += rows.size();
      if (failingReported) {
        deliveries.markFailingReported(sql, rows.stream().map(DeliveryStore.NewDelivery::id).toList());
      }
      if (!scheduled && rows.stream().anyMatch(r -> r.leaseOwner() == null)) {
        // Some deliveries wait for the claim loop: wake other nodes' dispatchers too.
        sql.dialect().notifyWork(sql);
      }
    }

    <T> T run(Database.Work<T> work) {
      return run(null, work);
    }

    /** {@code orderKey}: the unique key the work inserts, see {@link dev.herald.store.GroupCommit#write(String, Database.Work)}. */
    <T> T run(String orderKey, Database.Work<T> work) {
      T result;
      try {
        result = commits.write(orderKey, sql -> {
          reset();
          return work.run(sql);
        });
      } catch (RuntimeException e) {
        reset();
        throw e;
      }
      if (created >= 0) {
        metrics.messageAccepted(created);
      } else if (inserted > 0) {
        metrics.deliveriesCreated(inserted);
      }
      // Deliveries left unleased wait for a lane or budget to free up (the dispatcher then wakes its
      // claim loop), for their deliverAt, or for another node (NOTIFY). Waking the claim loop here
      // only made it walk past work it could not take, once per accepted message.
      local.forEach(dispatcher::accept);
      return result;
    }
  }

  public Message create(String orgId, String appIdOrUid, MessageIn in, String traceparent) {
    return create(orgId, appIdOrUid, in, traceparent, (sql, m) -> { });
  }

  /**
   * Accepts a message; {@code alsoInTransaction} runs in the same transaction once the message and
   * its deliveries are written (the API records the idempotency key with its answer there), and
   * what it throws rolls the whole message back.
   */
  public Message create(String orgId, String appIdOrUid, MessageIn in, String traceparent,
      java.util.function.BiConsumer<Sql, Message> alsoInTransaction) {
    checkDeliverAt(in.deliverAt());
    Handoff handoff = new Handoff();
    // Batches on several nodes inserting the same eventIds then lock them in the same order.
    String orderKey = in.eventId() == null ? null : appIdOrUid + "\n" + in.eventId();
    return handoff.run(orderKey, sql -> {
      Application app = resolveApp(sql, orgId, appIdOrUid, in);
      if (in.eventId() != null && messages.eventIdTaken(sql, app.id(), in.eventId())) {
        throw new Conflict("conflict", "a message with eventId " + in.eventId() + " already exists");
      }
      Message m = newMessage(orgId, app.id(), in.eventType(), in.eventId(), in.channels(), in.payload(), traceparent,
          in.retentionDays()).withTagsAndSchedule(in.tags(), in.deliverAt());
      messages.insert(sql, m);
      List<String> targets = endpoints.listRoutes(sql, app.id()).stream()
          .filter(r -> Subscription.matches(r.eventTypes(), r.channels(), m.eventType(), m.channels()))
          .map(EndpointStore.Route::id)
          .toList();
      handoff.insert(sql, m, targets, false);
      handoff.created = targets.size();
      alsoInTransaction.accept(sql, m);
      return m;
    });
  }

  /**
   * {@code deliverAt} must lie ahead, within {@link #DELIVER_AT_HORIZON}; up to
   * {@link #DELIVER_AT_SKEW} in the past is taken as "now", for clients whose clock runs behind.
   */
  private void checkDeliverAt(Instant deliverAt) {
    if (deliverAt == null) {
      return;
    }
    Instant now = clock.instant();
    if (deliverAt.isBefore(now.minus(DELIVER_AT_SKEW))) {
      throw ValidationFailed.of("deliverAt", "deliverAt " + deliverAt + " is in the past (now " + now + ")",
          "value_error.datetime.past");
    }
    if (deliverAt.isAfter(now.plus(DELIVER_AT_HORIZON))) {
      throw ValidationFailed.of("deliverAt", "deliverAt " + deliverAt + " is more than "
          + DELIVER_AT_HORIZON.toHours() + " hours ahead (now " + now + ")", "value_error.datetime.too_far");
    }
  }

  private Message newMessage(String orgId, String appId, String eventType, String eventId, List<String> channels,
      byte[] payload, String traceparent, int retentionDays) {
    Instant now = clock.instant();
    return new Message(ids.next(IdPrefix.MESSAGE), orgId, appId, eventType, eventId, channels, payload, traceparent,
        now, now.plus(Duration.ofDays(retentionDays)));
  }

  /** Sends the message once more to one endpoint, whatever its filters; a manual attempt is not retried. */
  public void resend(String orgId, String appIdOrUid, String idOrEventId, String endpointIdOrUid,
      dev.herald.endpoint.EndpointService endpointService) {
    Handoff handoff = new Handoff();
    handoff.run(sql -> {
      Message m = find(sql, orgId, appIdOrUid, idOrEventId);
      var endpoint = endpointService.find(sql, orgId, appIdOrUid, endpointIdOrUid);
      // Retention deletes expired payloads in passes: one past its expiry may still be stored, and is gone all the same.
      boolean payloadExpired = m.payload() == null || !m.expiresAt().isAfter(clock.instant());
      if (payloadExpired) {
        throw new dev.herald.error.BadRequest("payload_expired",
            "message " + m.id() + " has no payload any more (expired or expunged) and cannot be resent");
      }
      handoff.insert(sql, m, List.of(endpoint.id()), true,
          deliveries.hasUnrecoveredFailureReport(sql, m.id(), endpoint.id()));
      return m;
    });
  }

  /**
   * Sends an example of the event type to one endpoint only: the first example in the event type's
   * schema when it has one, otherwise a small placeholder payload.
   */
  public Message sendExample(String orgId, String appIdOrUid, String endpointIdOrUid, String eventType,
      dev.herald.endpoint.EndpointService endpointService, java.util.Optional<com.fasterxml.jackson.databind.JsonNode> example) {
    Handoff handoff = new Handoff();
    return handoff.run(sql -> {
      var endpoint = endpointService.find(sql, orgId, appIdOrUid, endpointIdOrUid);
      byte[] payload = example.map(dev.herald.json.Json::writeBytes).orElseGet(() -> dev.herald.json.Json.writeBytes(
          java.util.Map.of("type", eventType, "example", true)));
      Message m = newMessage(orgId, endpoint.appId(), eventType, null, null, payload, null,
          MessageIn.DEFAULT_RETENTION_DAYS);
      messages.insert(sql, m);
      handoff.insert(sql, m, List.of(endpoint.id()), false);
      return m;
    });
  }
  private Application resolveApp(Sql sql, String orgId, String appIdOrUid, MessageIn in) {
    if (in.application() == null) {
      return apps.find(sql, orgId, appIdOrUid);
    }
    // Svix creates the application on the fly when the message carries its details.
    return apps.findOrInsert(sql, orgId, appIdOrUid, in.application());
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
