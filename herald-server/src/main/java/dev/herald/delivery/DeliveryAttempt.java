package dev.herald.delivery;

import dev.herald.endpoint.Endpoint;
import dev.herald.id.IdPrefix;
import dev.herald.store.DeliveryStore;
import dev.herald.transform.ScriptFailed;
import dev.herald.transform.Transformation;
import dev.herald.transform.Transformations;
import dev.herald.transform.Transformed;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one delivery, from reading its endpoint to handing the result to the {@link
 * AttemptRecorder}: checks the endpoint still takes it, signs, sends, decides what the answer means
 * ({@link AttemptResult}) and has it written. It reports back to the lanes' owner through {@link
 * Lanes}, and never touches the lanes' bookkeeping itself.
 */
final class DeliveryAttempt {
  private static final Logger log = LoggerFactory.getLogger(DeliveryAttempt.class);

  /** What the attempt tells the owner of the lanes (the {@link Dispatcher}). */
  interface Lanes {
    /** Starts what the lane may start now (its rate just became known). */
    void pump(Lane lane);

    /**
     * The endpoint answered, or could not be reached: the request's slot in the lane is free. The
     * delivery keeps its place in the node's budget until {@link #recorded}.
     */
    void answered(Lane lane, boolean unreachable);

    /** After {@link #answered}: the result is written, or could not be. Its place is free. */
    void recorded(Lane lane, DeliveryTask task);

    /** The attempt ended without an answer: its slot in the lane and its place are free. */
    void finish(Lane lane, DeliveryTask task);
  }

  /** The node's collaborators every attempt uses; built once in {@code Herald}. */
  public record Parts(
      DeliveryConfig config,
      EndpointCache endpoints,
      AppThrottles appThrottles,
      Sender sender,
      AttemptRecorder recorder,
      RetryPolicy policy,
      NodeContext node,
      Transformations transformations) {}

  /** What was sent where, and what came of it. */
  private record Sent(String url, Instant sentAt, Sender.Result result) {}

  private final Parts parts;
  private final Lanes lanes;

  DeliveryAttempt(Parts parts, Lanes lanes) {
    this.parts = parts;
    this.lanes = lanes;
  }

  void run(Lane lane, DeliveryTask task) {
    Instant started = parts.node().clock().instant();
    String url = null;
    try {
      Optional<Endpoint> endpoint = parts.endpoints().get(task.endpointId());
      if (endpoint.isEmpty() || endpoint.get().disabled()) {
        // Giving up cannot be undone: confirm a cached "deleted" or "disabled" with the database,
        // or a message accepted just after the endpoint was re-enabled would fail unsent.
        endpoint = parts.endpoints().reload(task.endpointId());
      }
      if (endpoint.isEmpty() || endpoint.get().disabled() || task.payload() == null) {
        giveUp(lane, task, endpoint);
        return;
      }
      Endpoint ep = endpoint.get();
      url = ep.url();
      learnRates(lane, task, ep);
      started = parts.node().clock().instant();
      Optional<Transformation> transformation =
          parts.transformations() == null
              ? Optional.empty()
              : parts.transformations().activeFor(ep.id());
      // Set once the lane was told of the answer: from then on the request's slot is free.
      AtomicBoolean answered = new AtomicBoolean();
      CompletableFuture<Sent> sending =
          transformation.isEmpty()
              ? send(task, ep, "POST", ep.url(), task.payload(), Map.of(), started)
              : transformThenSend(task, ep, transformation.get(), started);
      sending
          .thenCompose(
              sent -> {
                Sender.Result result = sent.result();
                lanes.answered(
                    lane,
                    result.outcome() instanceof AttemptOutcome.TimedOut
                        || result.outcome() instanceof AttemptOutcome.ConnectionFailed);
                answered.set(true);
                return record(task, ep, sent.url(), sent.sentAt(), result);
              })
          .whenComplete(
              (v, t) -> {
                if (t != null) {
                  log.error(
                      "recording delivery {} failed; its lease will lapse and it will be retried",
                      task.deliveryId(),
                      t);
                }
                if (answered.get()) {
                  lanes.recorded(lane, task);
                } else {
                  lanes.finish(lane, task);
                }
              });
    } catch (dev.herald.error.Unavailable e) {
      // The database is away: nothing can be recorded now, and it is not this delivery's failure.
      log.warn(
          "delivery {} not started, the database is unavailable; its lease will lapse and it will be retried",
          task.deliveryId());
      lanes.finish(lane, task);
    } catch (Throwable t) {
      recordNotSent(lane, task, url, started, t);
    }
  }

  /**
   * The endpoint is gone or disabled, or the payload expired: the delivery fails without an
   * attempt.
   */
  private void giveUp(Lane lane, DeliveryTask task, Optional<Endpoint> endpoint) {
    String why =
        endpoint.isEmpty()
            ? "the endpoint was deleted"
            : task.payload() == null
                ? "the message payload has expired or was expunged"
                : "the endpoint is disabled";
    log.debug("delivery {} given up without an attempt: {}", task.deliveryId(), why);
    Instant now = parts.node().clock().instant();
    parts
        .recorder()
        .record(
            task,
            null,
            // Whether or not the endpoint was ordered, a waiting delivery of it (if any) is next.
            new DeliveryStore.Completion(
                    task.deliveryId(), DeliveryStatus.FAIL.code(), task.attemptsMade(), null, now)
                .ofOrderedEndpoint(task.endpointId()),
            false,
            false,
            AttemptRecorder.Report.NONE)
        .whenComplete((v, t) -> lanes.finish(lane, task));
  }

  /**
   * The endpoint's and its application's {@code throttleRate}, known once an attempt read them.
   * Read before the lane's rate is marked known: until then the lane starts nothing more, so no
   * second request slips past an application rate still being read.
   */
  private void learnRates(Lane lane, DeliveryTask task, Endpoint ep) {
    boolean firstOfApp = parts.appThrottles().refresh(task.appId(), System.nanoTime());
    boolean firstOfLane;
    synchronized (lane) {
      firstOfLane = !lane.rateKnown;
      lane.throttleRate = ep.throttleRate();
      lane.ordered = ep.ordered();
      lane.rateKnown = true;
      if (firstOfLane) {
        // This request started before the rate was known: book its slot now.
        lane.throttle.tryAcquire(lane.throttleRate, System.nanoTime());
      }
    }
    if (firstOfLane || firstOfApp) {
      lanes.pump(lane);
    }
  }

  /**
   * Something failed between the claim and the request (decrypting the endpoint's secrets, reading
   * a stored row, a bug): record it as a failed attempt with its reason, so it follows the retry
   * schedule and ends exhausted like any other failure, visible in the attempt log.
   */
  private void recordNotSent(
      Lane lane, DeliveryTask task, String knownUrl, Instant started, Throwable t) {
    String reason = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
    log.error(
        "delivery {} failed before sending; recorded as a failed attempt: {}",
        task.deliveryId(),
        reason,
        t);
    try {
      String url = knownUrl != null ? knownUrl : parts.endpoints().urlOf(task.endpointId());
      record(task, null, url, started, new Sender.Result(new AttemptOutcome.NotSent(reason), 0))
          .whenComplete(
              (v, failure) -> {
                if (failure != null) {
                  log.error(
                      "recording delivery {} failed; its lease will lapse and it will be retried",
                      task.deliveryId(),
                      failure);
                }
                lanes.finish(lane, task);
              });
    } catch (Throwable again) {
      log.error(
          "delivery {} could not even be recorded as failed; its lease will lapse",
          task.deliveryId(),
          again);
      lanes.finish(lane, task);
    }
  }

  private CompletableFuture<Sent> send(
      DeliveryTask task,
      Endpoint ep,
      String method,
      String url,
      byte[] body,
      Map<String, String> scriptHeaders,
      Instant sentAt) {
    Map<String, String> headers = requestHeaders(task, ep, body, scriptHeaders, sentAt);
    return parts
        .sender()
        .send(method, url, body, headers)
        .thenApply(result -> new Sent(url, sentAt, result));
  }

  /**
   * Runs the endpoint's transformation (after the content filter, which chose the endpoint at
   * fan-out), then sends what it made, signed over the transformed payload. A script that fails or
   * is stopped is a failed attempt with its reason, retried like any failure; a cancelled webhook
   * is a successful attempt that sent nothing. A rewritten URL goes through the same client, so the
   * SSRF guard checks the address it resolves to.
   */
  private CompletableFuture<Sent> transformThenSend(
      DeliveryTask task, Endpoint ep, Transformation t, Instant started) {
    long startedNanos = System.nanoTime();
    return parts
        .transformations()
        .apply(ep.id(), t, ep.url(), task.messageId(), task.payload())
        .handle(
            (done, failure) -> {
              long millis = (System.nanoTime() - startedNanos) / 1_000_000;
              if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                String reason =
                    cause instanceof ScriptFailed ? cause.getMessage() : cause.toString();
                return CompletableFuture.completedFuture(
                    new Sent(
                        ep.url(),
                        started,
                        new Sender.Result(
                            new AttemptOutcome.NotSent("transformation failed: " + reason),
                            millis)));
              }
              if (done.cancel()) {
                return CompletableFuture.completedFuture(
                    new Sent(
                        done.url(),
                        started,
                        new Sender.Result(
                            new AttemptOutcome.Cancelled("the endpoint's transformation"),
                            millis)));
              }
              try {
                return send(
                    task,
                    ep,
                    done.method(),
                    done.url(),
                    done.payloadBytes(),
                    done.headers(),
                    parts.node().clock().instant());
              } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(
                    new Sent(
                        done.url(),
                        started,
                        new Sender.Result(new AttemptOutcome.NotSent(e.toString()), millis)));
              }
            })
        .thenCompose(f -> f);
  }

  /**
   * Endpoint headers, then the script's (they take precedence, as in Svix; {@link Transformed}
   * already dropped those Herald owns), then the signature over the body actually sent.
   */
  private Map<String, String> requestHeaders(
      DeliveryTask task, Endpoint ep, byte[] body, Map<String, String> scriptHeaders, Instant now) {
    long timestamp = now.getEpochSecond();
    String signature =
        Signer.signatureHeader(task.messageId(), timestamp, body, ep.signingSecrets(now));
    Map<String, String> headers = new LinkedHashMap<>(ep.headers());
    headers.put("content-type", "application/json");
    headers.putAll(scriptHeaders);
    DeliveryConfig.SignatureHeaders names = parts.config().signatureHeaders();
    if (names != DeliveryConfig.SignatureHeaders.SVIX) {
      headers.put("webhook-id", task.messageId());
      headers.put("webhook-timestamp", Long.toString(timestamp));
      headers.put("webhook-signature", signature);
    }
    if (names != DeliveryConfig.SignatureHeaders.WEBHOOK) {
      headers.put("svix-id", task.messageId());
      headers.put("svix-timestamp", Long.toString(timestamp));
      headers.put("svix-signature", signature);
    }
    if (task.traceparent() != null) {
      headers.put("traceparent", task.traceparent());
    }
    return headers;
  }

  /**
   * A completion of a delivery to {@code ep}: an ordered endpoint's next delivery becomes due once
   * this one ends. When the endpoint could not be read ({@code ep} null), it is treated as ordered:
   * promoting the next waiting delivery of an endpoint that has none changes nothing.
   */
  private static DeliveryStore.Completion ordered(
      DeliveryTask task, Endpoint ep, DeliveryStore.Completion c) {
    return ep == null || ep.ordered() ? c.ofOrderedEndpoint(task.endpointId()) : c;
  }

  /** Decides what the attempt means ({@link AttemptResult}), then counts it and has it written. */
  private CompletableFuture<Void> record(
      DeliveryTask task, Endpoint ep, String url, Instant started, Sender.Result result) {
    Instant now = parts.node().clock().instant();
    RetryPolicy.Decision decision =
        parts
            .policy()
            .decide(
                result.outcome(),
                task.attemptsMade() + 1,
                task.manual(),
                now,
                parts.node().random().getAsDouble());
    AttemptResult r =
        AttemptResult.of(
            task, url, started, result, decision, now, parts.node().ids().next(IdPrefix.ATTEMPT));
    OutcomeLog.attempted(task, r.attemptsMade(), result, decision);
    parts.node().metrics().attempt(r.metric(), result.durationMillis());
    if (r.succeeded()) {
      parts.node().metrics().delivered(Duration.between(task.messageCreatedAt(), now));
    }
    return parts
        .recorder()
        .record(
            task,
            r.attempt(),
            ordered(task, ep, r.completion()),
            r.succeeded(),
            r.exhausted(),
            r.report());
  }
}
