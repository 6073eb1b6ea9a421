package dev.herald.message;

import dev.herald.application.Application;
import dev.herald.application.ApplicationService;
import dev.herald.delivery.DeliveryConfig;
import dev.herald.delivery.DeliveryStores;
import dev.herald.delivery.Dispatcher;
import dev.herald.delivery.NodeContext;
import dev.herald.error.NotFound;
import dev.herald.error.ValidationFailed;
import dev.herald.eventtype.PayloadSchemas;
import dev.herald.store.Database;
import dev.herald.store.DeliveryStore;
import dev.herald.store.MessageStore;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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

  /**
   * Accepting writes are group-committed: concurrent requests share one transaction and one fsync.
   */
  private final dev.herald.store.GroupCommit commits;

  private final MessageStore messages;
  private final DeliveryStore deliveries;
  private final ApplicationService apps;
  private final InstantSource clock;
  private final Handoff.Node node;

  /** Accepted messages are written a whole group-commit batch at a time. */
  private final MessageAccept accept;

  /**
   * Payloads are checked against their event type's schema, when asked for, before anything is
   * written.
   */
  private final PayloadSchemas payloadSchemas;

  /** What messages are written to and checked against. */
  public record Parts(
      DeliveryStores stores,
      MessageStore messages,
      ApplicationService apps,
      PayloadSchemas payloadSchemas) {}

  public MessageService(
      Parts parts, Dispatcher dispatcher, DeliveryConfig config, NodeContext context) {
    DeliveryStores stores = parts.stores();
    this.payloadSchemas = parts.payloadSchemas();
    this.commits = stores.commits();
    this.db = stores.db();
    this.messages = parts.messages();
    this.deliveries = stores.deliveries();
    this.apps = parts.apps();
    this.clock = context.clock();
    this.node = new Handoff.Node(dispatcher, config, context.ids(), clock, context.metrics());
    this.accept =
        new MessageAccept(messages, deliveries, stores.endpoints(), apps, context.ids(), clock);
  }

  /** Runs one operation's transaction through the group commit, then hands its deliveries over. */
  private <T> T run(Handoff handoff, Database.Work<T> work) {
    T result;
    try {
      result =
          commits.write(
              sql -> {
                handoff.reset();
                return work.run(sql);
              });
    } catch (RuntimeException e) {
      handoff.reset();
      throw e;
    }
    handoff.committed();
    return result;
  }

  public Message create(String orgId, String appIdOrUid, MessageIn in, String traceparent) {
    return create(orgId, appIdOrUid, in, traceparent, (sql, m) -> {});
  }

  /**
   * Accepts a message; {@code alsoInTransaction} runs in the same transaction once the message and
   * its deliveries are written (the API records the idempotency key with its answer there), and
   * what it throws rolls the whole message back.
   */
  public Message create(
      String orgId,
      String appIdOrUid,
      MessageIn in,
      String traceparent,
      java.util.function.BiConsumer<Sql, Message> alsoInTransaction) {
    checkDeliverAt(in.deliverAt());
    payloadSchemas.check(orgId, in.eventType(), in.payload());
    Handoff handoff = new Handoff(node);
    var request =
        new MessageAccept.Request(orgId, appIdOrUid, in, traceparent, alsoInTransaction, handoff);
    Message m;
    try {
      // Written a whole group-commit batch at a time (GroupCommit.Combined): 9.4 -> 2.8 database
      // statements per delivered message on SQLite. The order key makes batches on several nodes
      // lock the same eventIds in the same order.
      m = commits.write(request.orderKey(), accept, request);
    } catch (RuntimeException e) {
      handoff.reset();
      throw e;
    }
    handoff.committed();
    return m;
  }

  /**
   * {@code deliverAt} must lie ahead, within {@link #DELIVER_AT_HORIZON}; up to {@link
   * #DELIVER_AT_SKEW} in the past is taken as "now", for clients whose clock runs behind.
   */
  private void checkDeliverAt(Instant deliverAt) {
    if (deliverAt == null) {
      return;
    }
    Instant now = clock.instant();
    if (deliverAt.isBefore(now.minus(DELIVER_AT_SKEW))) {
      throw ValidationFailed.of(
          "deliverAt",
          "deliverAt " + deliverAt + " is in the past (now " + now + ")",
          "value_error.datetime.past");
    }
    if (deliverAt.isAfter(now.plus(DELIVER_AT_HORIZON))) {
      throw ValidationFailed.of(
          "deliverAt",
          "deliverAt "
              + deliverAt
              + " is more than "
              + DELIVER_AT_HORIZON.toHours()
              + " hours ahead (now "
              + now
              + ")",
          "value_error.datetime.too_far");
    }
  }

  /**
   * Sends the message once more to one endpoint, whatever its filters; a manual attempt is not
   * retried.
   */
  public void resend(
      String orgId,
      String appIdOrUid,
      String idOrEventId,
      String endpointIdOrUid,
      dev.herald.endpoint.EndpointService endpointService) {
    Handoff handoff = new Handoff(node);
    run(
        handoff,
        sql -> {
          Message m = find(sql, orgId, appIdOrUid, idOrEventId);
          var endpoint = endpointService.find(sql, orgId, appIdOrUid, endpointIdOrUid);
          // Retention deletes expired payloads in passes: one past its expiry may still be stored,
          // and is gone all the same.
          boolean payloadExpired = m.payload() == null || !m.expiresAt().isAfter(clock.instant());
          if (payloadExpired) {
            throw new dev.herald.error.BadRequest(
                "payload_expired",
                "message "
                    + m.id()
                    + " has no payload any more (expired or expunged) and cannot be resent");
          }
          handoff.insert(
              sql,
              deliveries,
              m,
              List.of(endpoint.id()),
              true,
              deliveries.hasUnrecoveredFailureReport(sql, m.id(), endpoint.id()),
              headsOf(sql, endpoint));
          return m;
        });
  }

  /**
   * Sends an example of the event type to one endpoint only: the first example in the event type's
   * schema when it has one, otherwise a small placeholder payload.
   */
  public Message sendExample(
      String orgId,
      String appIdOrUid,
      String endpointIdOrUid,
      String eventType,
      dev.herald.endpoint.EndpointService endpointService,
      java.util.Optional<com.fasterxml.jackson.databind.JsonNode> example) {
    Handoff handoff = new Handoff(node);
    return run(
        handoff,
        sql -> {
          var endpoint = endpointService.find(sql, orgId, appIdOrUid, endpointIdOrUid);
          byte[] payload =
              example
                  .map(dev.herald.json.Json::writeBytes)
                  .orElseGet(
                      () ->
                          dev.herald.json.Json.writeBytes(
                              java.util.Map.of("type", eventType, "example", true)));
          Message m =
              accept.newMessage(
                  orgId,
                  endpoint.appId(),
                  eventType,
                  null,
                  null,
                  payload,
                  null,
                  MessageIn.DEFAULT_RETENTION_DAYS);
          messages.insert(sql, m);
          handoff.insert(
              sql, deliveries, m, List.of(endpoint.id()), false, false, headsOf(sql, endpoint));
          return m;
        });
  }

  private static OrderedHeads headsOf(Sql sql, dev.herald.endpoint.Endpoint endpoint) {
    return endpoint.ordered() ? OrderedHeads.open(sql, List.of(endpoint.id())) : OrderedHeads.NONE;
  }

  public Message get(String orgId, String appIdOrUid, String idOrEventId) {
    return db.read(sql -> find(sql, orgId, appIdOrUid, idOrEventId));
  }

  public Message find(Sql sql, String orgId, String appIdOrUid, String idOrEventId) {
    Application app = apps.find(sql, orgId, appIdOrUid);
    return messages
        .find(sql, orgId, app.id(), idOrEventId)
        .orElseThrow(() -> new NotFound("message " + idOrEventId + " not found"));
  }

  public Page<Message> list(
      String orgId,
      String appIdOrUid,
      MessageStore.Filter filter,
      boolean withContent,
      PageRequest page) {
    return db.readByTenant(
        sql ->
            messages.list(
                sql, orgId, apps.find(sql, orgId, appIdOrUid).id(), filter, withContent, page));
  }

  /** Deletes the payload; the message and its attempt log stay. Pending deliveries then fail. */
  public void expungeContent(String orgId, String appIdOrUid, String idOrEventId) {
    db.writeVoid(
        sql -> messages.expungePayload(sql, find(sql, orgId, appIdOrUid, idOrEventId).id()));
  }
}
