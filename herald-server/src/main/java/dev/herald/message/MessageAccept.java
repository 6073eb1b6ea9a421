package dev.herald.message;

import dev.herald.application.Application;
import dev.herald.application.ApplicationService;
import dev.herald.error.Conflict;
import dev.herald.error.NotFound;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.store.DeliveryStore;
import dev.herald.store.EndpointStore;
import dev.herald.store.GroupCommit;
import dev.herald.store.MessageStore;
import dev.herald.store.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Writes a batch of accepted messages together: the applications, taken eventIds and endpoint
 * filters of the whole batch are read with one statement each, and the messages, payloads and
 * deliveries written with one prepared batch each, however many messages the batch holds. A message
 * refused for its own reason (unknown application, eventId taken) fails alone; the group commit
 * runs each message alone when a shared statement fails.
 */
final class MessageAccept implements GroupCommit.Combined<MessageAccept.Request, Message> {

  /**
   * One caller's message. {@code alsoInTransaction} runs once the message is written, in the same
   * transaction (the idempotency key and its answer); what it throws rolls the message back.
   */
  record Request(
      String orgId,
      String appIdOrUid,
      MessageIn in,
      String traceparent,
      BiConsumer<Sql, Message> alsoInTransaction,
      Handoff handoff) {

    /**
     * The key concurrent batches on other nodes lock in the same order; null without an eventId.
     */
    String orderKey() {
      return in.eventId() == null ? null : appIdOrUid + "\n" + in.eventId();
    }
  }

  private final MessageStore messages;
  private final DeliveryStore deliveries;
  private final EndpointStore endpoints;
  private final ApplicationService apps;
  private final Ids ids;
  private final InstantSource clock;

  MessageAccept(
      MessageStore messages,
      DeliveryStore deliveries,
      EndpointStore endpoints,
      ApplicationService apps,
      Ids ids,
      InstantSource clock) {
    this.messages = messages;
    this.deliveries = deliveries;
    this.endpoints = endpoints;
    this.apps = apps;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public List<GroupCommit.Outcome<Message>> runAll(Sql sql, List<Request> requests) {
    requests.forEach(r -> r.handoff().reset());
    List<GroupCommit.Outcome<Message>> outcomes = new ArrayList<>(requests.size());
    Application[] appOf = resolveApps(sql, requests, outcomes);
    Set<String> taken = takenEventIds(sql, requests, appOf);
    Set<String> appIds = new LinkedHashSet<>();
    for (Application app : appOf) {
      if (app != null) {
        appIds.add(app.id());
      }
    }
    Map<String, List<EndpointStore.Route>> routes =
        appIds.isEmpty() ? Map.of() : endpoints.listRoutes(sql, appIds);
    OrderedHeads heads =
        OrderedHeads.open(
            sql,
            routes.values().stream()
                .flatMap(List::stream)
                .filter(EndpointStore.Route::ordered)
                .map(EndpointStore.Route::id)
                .toList());
    List<Message> accepted = new ArrayList<>(requests.size());
    List<DeliveryStore.NewDelivery> rows = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      Request r = requests.get(i);
      if (outcomes.get(i) != null) {
        continue;
      }
      String eventKey = r.in().eventId() == null ? null : appOf[i].id() + "\n" + r.in().eventId();
      // taken also collects this batch's own eventIds: the second of two equal ones is a conflict
      // too.
      if (eventKey != null && !taken.add(eventKey)) {
        outcomes.set(
            i,
            GroupCommit.Outcome.failed(
                new Conflict(
                    "conflict", "a message with eventId " + r.in().eventId() + " already exists")));
        continue;
      }
      MessageIn in = r.in();
      Message m =
          newMessage(
                  r.orgId(),
                  appOf[i].id(),
                  in.eventType(),
                  in.eventId(),
                  in.channels(),
                  in.payload(),
                  r.traceparent(),
                  in.retentionDays())
              .withTagsAndSchedule(in.tags(), in.deliverAt());
      List<String> targets =
          Subscription.targets(routes.get(m.appId()), m.eventType(), m.channels(), m.payload());
      rows.addAll(r.handoff().plan(m, targets, false, false, heads));
      r.handoff().created = targets.size();
      accepted.add(m);
      outcomes.set(i, GroupCommit.Outcome.of(m));
    }
    messages.insertAll(sql, accepted);
    deliveries.insert(sql, rows);
    if (!requests.isEmpty()) {
      // Every request of a batch has a handoff of this node's.
      requests.get(0).handoff().notifyIfWaiting(sql, rows);
    }
    for (int i = 0; i < requests.size(); i++) {
      if (outcomes.get(i).failure() == null) {
        requests.get(i).alsoInTransaction().accept(sql, outcomes.get(i).value());
      }
    }
    return outcomes;
  }

  /**
   * Each request's application, or its outcome set to the failure. Applications named by id or uid
   * are read in one statement per org; a message carrying application details (Svix creates the
   * application on the fly) is resolved alone, in a savepoint of its own.
   */
  private Application[] resolveApps(
      Sql sql, List<Request> requests, List<GroupCommit.Outcome<Message>> outcomes) {
    Application[] appOf = new Application[requests.size()];
    Map<String, Set<String>> namesByOrg = new HashMap<>();
    for (Request r : requests) {
      outcomes.add(null);
      if (r.in().application() == null) {
        namesByOrg.computeIfAbsent(r.orgId(), o -> new LinkedHashSet<>()).add(r.appIdOrUid());
      }
    }
    Map<String, Application> byOrgAndName = new HashMap<>();
    namesByOrg.forEach(
        (org, names) -> {
          List<Application> found = apps.findAll(sql, org, names);
          // An id match wins over a uid match, as when one application is looked up.
          found.stream()
              .filter(a -> a.uid() != null)
              .forEach(a -> byOrgAndName.put(org + "\n" + a.uid(), a));
          found.forEach(a -> byOrgAndName.put(org + "\n" + a.id(), a));
        });
    for (int i = 0; i < requests.size(); i++) {
      Request r = requests.get(i);
      if (r.in().application() == null) {
        appOf[i] = byOrgAndName.get(r.orgId() + "\n" + r.appIdOrUid());
        if (appOf[i] == null) {
          outcomes.set(
              i,
              GroupCommit.Outcome.failed(
                  new NotFound("application " + r.appIdOrUid() + " not found")));
        }
        continue;
      }
      try {
        appOf[i] =
            sql.inSavepoint(
                s -> apps.findOrInsert(s, r.orgId(), r.appIdOrUid(), r.in().application()));
      } catch (RuntimeException e) {
        outcomes.set(i, GroupCommit.Outcome.failed(e));
      }
    }
    return appOf;
  }

  /**
   * The stored (application, eventId) pairs among the requests', as {@code appId + "\n" + eventId}.
   */
  private Set<String> takenEventIds(Sql sql, List<Request> requests, Application[] appOf) {
    Set<String> appIds = new LinkedHashSet<>();
    Set<String> eventIds = new LinkedHashSet<>();
    for (int i = 0; i < requests.size(); i++) {
      if (appOf[i] != null && requests.get(i).in().eventId() != null) {
        appIds.add(appOf[i].id());
        eventIds.add(requests.get(i).in().eventId());
      }
    }
    return eventIds.isEmpty() ? new HashSet<>() : messages.takenEventIds(sql, appIds, eventIds);
  }

  Message newMessage(
      String orgId,
      String appId,
      String eventType,
      String eventId,
      List<String> channels,
      byte[] payload,
      String traceparent,
      int retentionDays) {
    Instant now = clock.instant();
    return new Message(
        ids.next(IdPrefix.MESSAGE),
        orgId,
        appId,
        eventType,
        eventId,
        channels,
        payload,
        traceparent,
        now,
        now.plus(Duration.ofDays(retentionDays)));
  }
}
