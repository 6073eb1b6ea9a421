package dev.herald.attempt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.herald.delivery.Attempt;
import dev.herald.delivery.DeliveryStatus;
import dev.herald.endpoint.Endpoint;
import dev.herald.endpoint.EndpointService;
import dev.herald.error.NotFound;
import dev.herald.message.Message;
import dev.herald.message.MessageService;
import dev.herald.message.MessageView;
import dev.herald.store.AttemptStore;
import dev.herald.store.Database;
import dev.herald.store.DeliveryStore;
import dev.herald.store.EndpointStore;
import dev.herald.store.MessageLogStore;
import dev.herald.store.MessageStore;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Sql;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The read side of delivery: attempts, per-endpoint and per-message delivery state, stats. */
public final class AttemptLog {

  /** Svix's EndpointMessageOut: a message and its delivery state at one endpoint. */
  public record EndpointMessageView(
      String id,
      @JsonInclude(JsonInclude.Include.ALWAYS) String eventId,
      String eventType,
      @JsonRawValue String payload,
      List<String> channels,
      List<String> tags,
      Instant deliverAt,
      Instant timestamp,
      int status,
      String statusText,
      @JsonInclude(JsonInclude.Include.ALWAYS) Instant nextAttempt) {}

  /** Svix's MessageEndpointOut: an endpoint and the delivery state of one message there. */
  public record MessageEndpointView(
      String id,
      @JsonInclude(JsonInclude.Include.ALWAYS) String uid,
      String url,
      String description,
      boolean disabled,
      List<String> eventTypes,
      List<String> channels,
      Integer throttleRate,
      Instant createdAt,
      Instant updatedAt,
      int status,
      String statusText,
      @JsonInclude(JsonInclude.Include.ALWAYS) Instant nextAttempt) {

    /** The Svix SDKs read the event-type filter as {@code filterTypes}. */
    @JsonProperty("filterTypes")
    public List<String> filterTypes() {
      return eventTypes;
    }

    /** The deprecated alias of {@code throttleRate} the Svix SDKs still read. */
    @JsonProperty("rateLimit")
    public Integer rateLimit() {
      return throttleRate;
    }
  }

  /** Svix's EndpointStats. */
  public record StatsView(long success, long pending, long sending, long fail, long canceled) {}

  private final Database db;
  private final AttemptStore attempts;
  private final DeliveryStore deliveries;
  private final EndpointStore endpointStore;
  private final EndpointService endpoints;
  private final MessageService messages;
  private final MessageStore messageStore = new MessageStore();
  private final MessageLogStore messageLog = new MessageLogStore();

  public AttemptLog(
      Database db,
      AttemptStore attempts,
      DeliveryStore deliveries,
      EndpointStore endpointStore,
      EndpointService endpoints,
      MessageService messages) {
    this.db = db;
    this.attempts = attempts;
    this.deliveries = deliveries;
    this.endpointStore = endpointStore;
    this.endpoints = endpoints;
    this.messages = messages;
  }

  /**
   * {@code withMsg}: each attempt carries its message (without payload), as Svix's {@code
   * with_msg}.
   */
  public Page<AttemptView> byEndpoint(
      String orgId,
      String appIdOrUid,
      String endpointIdOrUid,
      Integer status,
      Integer statusCodeClass,
      MessageStore.Filter messageFilter,
      boolean withContent,
      boolean withMsg,
      PageRequest page) {
    return db.readByTenant(
        sql -> {
          Endpoint ep = endpoints.find(sql, orgId, appIdOrUid, endpointIdOrUid);
          Page<Attempt> found =
              attempts.list(
                  sql,
                  orgId,
                  ep.appId(),
                  new AttemptStore.Filter(ep.id(), null, status, statusCodeClass, messageFilter),
                  page);
          Map<String, Message> byId = new HashMap<>();
          if (withMsg) {
            Set<String> msgIds = new HashSet<>();
            found.data().forEach(a -> msgIds.add(a.messageId()));
            messageStore.findAll(sql, orgId, ep.appId(), msgIds).forEach(m -> byId.put(m.id(), m));
          }
          return found.map(a -> AttemptView.of(a, withContent, byId.get(a.messageId())));
        });
  }

  public Page<AttemptView> byMessage(
      String orgId,
      String appIdOrUid,
      String msgIdOrEventId,
      String endpointIdOrUid,
      Integer status,
      Integer statusCodeClass,
      MessageStore.Filter messageFilter,
      boolean withContent,
      boolean withMsg,
      PageRequest page) {
    return db.read(
        sql -> {
          Message m = messages.find(sql, orgId, appIdOrUid, msgIdOrEventId);
          String endpointId =
              endpointIdOrUid == null
                  ? null
                  : endpoints.find(sql, orgId, m.appId(), endpointIdOrUid).id();
          return attempts
              .list(
                  sql,
                  orgId,
                  m.appId(),
                  new AttemptStore.Filter(
                      endpointId, m.id(), status, statusCodeClass, messageFilter),
                  page)
              .map(a -> AttemptView.of(a, withContent, withMsg ? m : null));
        });
  }

  public Page<EndpointMessageView> messagesOfEndpoint(
      String orgId,
      String appIdOrUid,
      String endpointIdOrUid,
      Integer status,
      MessageStore.Filter filter,
      boolean withContent,
      PageRequest page) {
    return db.readByTenant(
            sql -> {
              Endpoint ep = endpoints.find(sql, orgId, appIdOrUid, endpointIdOrUid);
              return deliveries.listForEndpoint(
                  sql, orgId, ep.id(), filter, status, withContent, page);
            })
        .map(
            em -> {
              Message m = em.message();
              DeliveryStatus st = shownStatus(em.delivery());
              return new EndpointMessageView(
                  m.id(),
                  m.eventId(),
                  m.eventType(),
                  MessageView.payloadJson(m.payload(), withContent),
                  m.channels(),
                  m.tags(),
                  m.deliverAt(),
                  m.createdAt(),
                  st.code(),
                  st.text(),
                  em.delivery().status() == DeliveryStatus.PENDING.code()
                      ? em.delivery().nextAttemptAt()
                      : null);
            });
  }

  /**
   * An endpoint's message log (the portal's): its messages, newest first, each with its delivery
   * state and the status code of the endpoint's last response; without payloads.
   */
  public Page<MessageLogStore.Entry> endpointLog(
      String orgId,
      String appIdOrUid,
      String endpointIdOrUid,
      MessageStore.Filter filter,
      MessageLogStore.State state,
      Integer statusCodeClass,
      PageRequest page) {
    return db.readByTenant(
        sql -> {
          Endpoint ep = endpoints.find(sql, orgId, appIdOrUid, endpointIdOrUid);
          return messageLog.list(sql, orgId, ep.id(), filter, state, statusCodeClass, page);
        });
  }

  public Page<MessageEndpointView> destinationsOfMessage(
      String orgId, String appIdOrUid, String msgIdOrEventId, PageRequest page) {
    return db.read(
        sql -> {
          Message m = messages.find(sql, orgId, appIdOrUid, msgIdOrEventId);
          Page<DeliveryStore.DeliveryRow> rows =
              deliveries.listForMessage(sql, orgId, m.id(), page);
          return rows.map(
              d -> {
                Endpoint ep =
                    endpointStore.find(sql, orgId, m.appId(), d.endpointId()).orElse(null);
                DeliveryStatus st = shownStatus(d);
                Instant next =
                    d.status() == DeliveryStatus.PENDING.code() ? d.nextAttemptAt() : null;
                return ep == null
                    ? new MessageEndpointView(
                        d.endpointId(),
                        null,
                        "",
                        "(deleted)",
                        true,
                        null,
                        null,
                        null,
                        null,
                        null,
                        st.code(),
                        st.text(),
                        next)
                    : new MessageEndpointView(
                        ep.id(),
                        ep.uid(),
                        ep.url(),
                        ep.description(),
                        ep.disabled(),
                        ep.eventTypes(),
                        ep.channels(),
                        ep.throttleRate(),
                        ep.createdAt(),
                        ep.updatedAt(),
                        st.code(),
                        st.text(),
                        next);
              });
        });
  }

  public AttemptView get(String orgId, String appIdOrUid, String msgIdOrEventId, String attemptId) {
    return AttemptView.of(
        db.read(
            sql -> {
              Message m = messages.find(sql, orgId, appIdOrUid, msgIdOrEventId);
              return attempts
                  .find(sql, orgId, m.appId(), m.id(), attemptId)
                  .orElseThrow(() -> new NotFound("attempt " + attemptId + " not found"));
            }),
        true);
  }

  public void expungeContent(
      String orgId, String appIdOrUid, String msgIdOrEventId, String attemptId) {
    db.writeVoid(
        sql -> {
          Message m = messages.find(sql, orgId, appIdOrUid, msgIdOrEventId);
          var a =
              attempts
                  .find(sql, orgId, m.appId(), m.id(), attemptId)
                  .orElseThrow(() -> new NotFound("attempt " + attemptId + " not found"));
          attempts.expungeResponse(sql, a.id());
        });
  }

  public StatsView stats(
      String orgId, String appIdOrUid, String endpointIdOrUid, Instant since, Instant until) {
    DeliveryStore.Stats s =
        db.readByTenant(
            sql -> {
              Endpoint ep = endpoints.find(sql, orgId, appIdOrUid, endpointIdOrUid);
              return deliveries.stats(sql, orgId, ep.id(), since, until);
            });
    return new StatsView(s.success(), s.pending(), s.sending(), s.fail(), 0);
  }

  /** Percentiles are computed from at most this many of the window's newest attempts. */
  static final int HEALTH_SAMPLE = 5_000;

  /** The endpoint's 24 hours before {@code now}: success per hour, latencies, last failure. */
  public EndpointHealth health(
      String orgId, String appIdOrUid, String endpointIdOrUid, Instant now) {
    Instant since = now.minus(Duration.ofHours(SuccessByHour.HOURS));
    return db.readByTenant(
        sql -> {
          Endpoint ep = endpoints.find(sql, orgId, appIdOrUid, endpointIdOrUid);
          List<Long> durations = attempts.recentDurations(sql, ep.id(), since, HEALTH_SAMPLE);
          return new EndpointHealth(
              successByHour(sql, ep.id(), now),
              durations.size(),
              EndpointHealth.percentile(durations, 50),
              EndpointHealth.percentile(durations, 95),
              attempts.lastFailure(sql, ep.id(), since));
        });
  }

  /**
   * Each listed endpoint's success per hour over the 24 hours before {@code now}, in one read: the
   * endpoint list shows only that. The endpoints come from a list already confined to the caller.
   */
  public Map<String, SuccessByHour> successByHour(List<Endpoint> listed, Instant now) {
    return db.readByTenant(
        sql -> {
          Map<String, SuccessByHour> out = new HashMap<>();
          for (Endpoint e : listed) {
            out.put(e.id(), successByHour(sql, e.id(), now));
          }
          return out;
        });
  }

  private SuccessByHour successByHour(Sql sql, String endpointId, Instant now) {
    SuccessByHour.Hour[] hours = new SuccessByHour.Hour[SuccessByHour.HOURS];
    Arrays.fill(hours, new SuccessByHour.Hour(0, 0));
    Instant since = now.minus(Duration.ofHours(SuccessByHour.HOURS));
    for (var h : attempts.hourly(sql, endpointId, since, now)) {
      int slot = SuccessByHour.HOURS - 1 - h.hour();
      if (slot >= 0 && slot < SuccessByHour.HOURS) {
        hours[slot] = new SuccessByHour.Hour(h.attempts(), h.succeeded());
      }
    }
    return new SuccessByHour(List.of(hours));
  }

  /** A pending delivery held under a lease is being sent right now. */
  private static DeliveryStatus shownStatus(DeliveryStore.DeliveryRow d) {
    DeliveryStatus st = DeliveryStatus.of(d.status());
    return st == DeliveryStatus.PENDING && d.leased() ? DeliveryStatus.SENDING : st;
  }
}
