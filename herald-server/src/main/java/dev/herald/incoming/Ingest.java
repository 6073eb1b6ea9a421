package dev.herald.incoming;

import dev.herald.error.NotFound;
import dev.herald.incoming.verify.Challenge;
import dev.herald.incoming.verify.InboundRequest;
import dev.herald.incoming.verify.Verdict;
import dev.herald.message.MessageIn;
import dev.herald.message.MessageService;
import dev.herald.store.Database;
import dev.herald.store.InboundStore;
import dev.herald.store.SourceStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes one request to an ingest URL: finds the source, applies its rate limit, verifies the raw
 * bytes (fail closed: anything but a valid verdict is refused), answers a provider's endpoint
 * check, then creates the message and records the de-duplication key in one transaction. A
 * duplicate gets the success answer and creates nothing; a refusal gets the source's {@code
 * failureStatus} with a generic body and is kept in the request log with its reason.
 */
public final class Ingest {
  /** How long the request log keeps a request. */
  public static final Duration REQUEST_LOG_TTL = Duration.ofDays(3);

  /**
   * Refused requests a source logs per second at most: a flood of forgeries must not become a flood
   * of writes (they are still counted in the metric).
   */
  static final int REFUSALS_LOGGED_PER_SECOND = 10;

  static final String REFUSED_BODY =
      "{\"code\":\"verification_failed\",\"detail\":\"the request could not be verified\"}";

  /** What the provider is answered. */
  public record Answer(int status, String contentType, byte[] body) {
    static Answer of(int status, String contentType, String body) {
      return new Answer(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final Database db;
  private final SourceStore sources;
  private final InboundStore inbound;
  private final MessageService messages;
  private final SourceIds ids;
  private final InstantSource clock;
  private final InboundMetrics metrics;
  private final SourceRateLimit rateLimit;
  private final SourceRateLimit refusalLog;

  public Ingest(
      Database db,
      SourceStore sources,
      InboundStore inbound,
      MessageService messages,
      InstantSource clock,
      io.micrometer.core.instrument.MeterRegistry registry,
      java.util.function.LongSupplier nanos) {
    this.db = db;
    this.sources = sources;
    this.inbound = inbound;
    this.messages = messages;
    this.ids = new SourceIds(clock);
    this.clock = clock;
    this.metrics = new InboundMetrics(registry);
    this.rateLimit = new SourceRateLimit(nanos);
    this.refusalLog = new SourceRateLimit(nanos);
  }

  /** Counts a request refused for its size before it was read (413). */
  public void countTooLarge() {
    metrics.count(null, InboundMetrics.Result.TOO_LARGE);
  }

  /** Answers a request to {@code /in/{ingestId}}; an unknown or disabled source is a 404. */
  public Answer receive(String ingestId, InboundRequest r) {
    Instant now = clock.instant();
    Optional<Source> found =
        db.read(sql -> sources.findByIngestId(sql, ingestId, now)).filter(s -> !s.disabled());
    if (found.isEmpty()) {
      metrics.count(null, InboundMetrics.Result.NOT_FOUND);
      throw new NotFound("no source at this ingest URL");
    }
    Source s = found.get();
    if (!rateLimit.tryTake(s.id(), s.rateLimit())) {
      metrics.count(s.id(), InboundMetrics.Result.RATE_LIMITED);
      return Answer.of(
          429,
          "application/json",
          "{\"code\":\"rate_limited\",\"detail\":\"the source's rate limit is exceeded\"}");
    }
    Verdict verdict = s.verifier().type().verify(r, s.verifier(), now);
    if (verdict instanceof Verdict.Invalid invalid) {
      if (refusalLog.tryTake(s.id(), REFUSALS_LOGGED_PER_SECOND)) {
        record(s, r, RequestRecord.REJECTED, invalid, s.failureStatus(), null, null, now);
      }
      metrics.count(s.id(), InboundMetrics.Result.REJECTED);
      return Answer.of(s.failureStatus(), "application/json", REFUSED_BODY);
    }
    Optional<Challenge> challenge = s.verifier().type().challenge(r, s.verifier());
    if (challenge.isPresent()) {
      Challenge c = challenge.get();
      record(s, r, RequestRecord.CHALLENGE, null, c.status(), null, null, now);
      metrics.count(s.id(), InboundMetrics.Result.CHALLENGE);
      return Answer.of(c.status(), c.contentType(), c.body());
    }
    Derived derived = Derived.of(s, r);
    SuccessResponse ok = s.response();
    try {
      create(s, r, derived, now);
      metrics.count(s.id(), InboundMetrics.Result.ACCEPTED);
    } catch (Duplicate d) {
      record(s, r, RequestRecord.DUPLICATE, null, ok.status(), derived, null, now);
      metrics.count(s.id(), InboundMetrics.Result.DUPLICATE);
    }
    return Answer.of(ok.status(), ok.contentType(), ok.body());
  }

  /**
   * The message, its deliveries, the de-duplication key and the request's log entry: one
   * transaction, through the same accept path as {@code POST …/msg}.
   */
  private void create(Source s, InboundRequest r, Derived d, Instant now) {
    MessageIn in =
        new MessageIn(
            d.eventType(),
            null,
            null,
            PayloadMapping.payloadOf(r, s.verifier()),
            MessageIn.DEFAULT_RETENTION_DAYS,
            null,
            tags(s, d),
            null);
    messages.create(
        s.orgId(),
        s.appId(),
        in,
        null,
        (sql, m) -> {
          if (d.dedupeKey() != null) {
            Instant until = now.plusSeconds(s.dedupe().windowSeconds());
            if (!inbound.recordKey(sql, s.id(), Derived.hash(d.dedupeKey()), m.id(), now, until)) {
              throw new Duplicate();
            }
          }
          inbound.recordRequest(
              sql,
              entry(s, r, RequestRecord.ACCEPTED, null, s.response().status(), d, m.id(), now));
        });
  }

  /**
   * The message's metadata as tags (filterable on the message list): {@code source/<id>}, {@code
   * provider/<preset>} and {@code delivery/<provider's id>} when it sends one.
   */
  static List<String> tags(Source s, Derived d) {
    List<String> tags = new ArrayList<>();
    tags.add("source/" + s.id());
    tags.add("provider/" + s.verifier().type().wireName());
    if (d.deliveryId() != null) {
      String cleaned = d.deliveryId().replaceAll("[^a-zA-Z0-9\\-_./\\\\#]", "_");
      String tag = "delivery/" + cleaned;
      tags.add(tag.length() > 128 ? tag.substring(0, 128) : tag);
    }
    return tags;
  }

  private void record(
      Source s,
      InboundRequest r,
      String status,
      Verdict.Invalid invalid,
      int httpStatus,
      Derived d,
      String messageId,
      Instant now) {
    RequestRecord e = entry(s, r, status, invalid, httpStatus, d, messageId, now);
    db.writeVoid(sql -> inbound.recordRequest(sql, e));
  }

  private RequestRecord entry(
      Source s,
      InboundRequest r,
      String status,
      Verdict.Invalid invalid,
      int httpStatus,
      Derived d,
      String messageId,
      Instant now) {
    return new RequestRecord(
        ids.next("inreq_"),
        s.orgId(),
        s.id(),
        status,
        invalid == null ? null : invalid.reason().code(),
        invalid == null ? null : invalid.detail(),
        httpStatus,
        d == null ? null : d.eventType(),
        d == null ? null : storable(d.shownKey()),
        messageId,
        Redaction.headers(r, s.verifier()),
        r.body().length,
        now,
        now.plus(REQUEST_LOG_TTL));
  }

  /**
   * A value from the request as the log can store it: PostgreSQL text cannot hold U+0000, which a
   * JSON string in a provider's body can.
   */
  static String storable(String s) {
    return s == null || s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
  }

  /** Thrown in the accepting transaction when the key is taken: rolls the message back. */
  static final class Duplicate extends RuntimeException {
    Duplicate() {
      super("duplicate request", null, false, false);
    }
  }
}
