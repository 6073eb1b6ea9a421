package dev.herald.bench;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The load generator: POSTs over keep-alive connections with Jetty's async client and records
 * latency in microseconds with HdrHistogram.
 *
 * <p>{@link #fixedRate} is open-loop: request {@code i} is due at {@code start + i / rate} whatever
 * happened to the requests before it, and its latency is measured from that intended time. A server
 * that stalls therefore shows the stall in every request that should have been sent meanwhile,
 * instead of slowing the generator down and hiding it (coordinated omission). When {@code
 * maxInFlight} requests are outstanding the next one waits, and the wait counts in its latency.
 *
 * <p>{@link #maxRate} is closed-loop on purpose: it keeps {@code concurrency} requests in flight to
 * find how many per second a server accepts.
 */
final class LoadGenerator implements AutoCloseable {

  /** What to send as request {@code i}. */
  record Target(URI uri, byte[] body, String bearer) {}

  @FunctionalInterface
  interface Requests {
    Target get(long i);
  }

  /** Called on a client thread when request {@code i} completed (status 0: no response). */
  @FunctionalInterface
  interface OnResponse {
    void accept(long i, long intendedNanos, int status, String body);
  }

  /** What one run produced. Latency is in microseconds. */
  record Run(
      long sent,
      long ok,
      long failed,
      long firstSentNanos,
      long lastDoneNanos,
      Histogram latencyMicros,
      String firstFailure) {
    double seconds() {
      return (lastDoneNanos - firstSentNanos) / 1e9;
    }

    /** 2xx answers per second over the run. */
    double okPerSecond() {
      return ok / seconds();
    }
  }

  private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(30);
  private final HttpClient client;
  private final int maxInFlight;
  private final Duration requestTimeout;

  LoadGenerator(int connectionsPerDestination, int maxInFlight, Duration requestTimeout) {
    this.maxInFlight = maxInFlight;
    this.requestTimeout = requestTimeout;
    QueuedThreadPool pool = new QueuedThreadPool(32, 4);
    pool.setName("generator");
    pool.setDaemon(true);
    client = new HttpClient();
    client.setExecutor(pool);
    client.setMaxConnectionsPerDestination(connectionsPerDestination);
    client.setMaxRequestsQueuedPerDestination(Math.max(maxInFlight, 1024));
    client.setIdleTimeout(120_000);
    client.setFollowRedirects(false);
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("the generator's HTTP client did not start", e);
    }
  }

  /** Sends {@code count} requests at {@code perSecond}, open-loop (see the class comment). */
  Run fixedRate(long count, double perSecond, Requests requests, OnResponse onResponse)
      throws InterruptedException {
    Tally tally = new Tally();
    Semaphore slots = new Semaphore(maxInFlight);
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
    double interval = 1e9 / perSecond;
    for (long i = 0; i < count; i++) {
      long intended = start + (long) (i * interval);
      for (long wait = intended - System.nanoTime();
          wait > 0;
          wait = intended - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      slots.acquire();
      send(i, intended, requests.get(i), tally, slots, onResponse);
    }
    return tally.finish(slots, maxInFlight, requestTimeout);
  }

  /**
   * Keeps {@code concurrency} requests in flight until {@code count} were sent or {@code duration}
   * passed, whichever comes first.
   */
  Run maxRate(
      long count, Duration duration, int concurrency, Requests requests, OnResponse onResponse)
      throws InterruptedException {
    Tally tally = new Tally();
    int permits = Math.min(concurrency, maxInFlight);
    Semaphore slots = new Semaphore(permits);
    long deadline = System.nanoTime() + duration.toNanos();
    for (long i = 0; i < count && System.nanoTime() < deadline; i++) {
      slots.acquire();
      send(i, System.nanoTime(), requests.get(i), tally, slots, onResponse);
    }
    return tally.finish(slots, permits, requestTimeout);
  }

  private void send(
      long i, long intended, Target t, Tally tally, Semaphore slots, OnResponse onResponse) {
    tally.sent(intended);
    var request =
        client
            .newRequest(t.uri())
            .method(HttpMethod.POST)
            .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .body(new BytesRequestContent("application/json", t.body()));
    if (t.bearer() != null) {
      request.headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + t.bearer()));
    }
    request.send(
        new BufferingResponseListener(64 * 1024) {
          @Override
          public void onComplete(Result result) {
            long done = System.nanoTime();
            int status =
                result.getResponse() == null || result.isFailed()
                    ? 0
                    : result.getResponse().getStatus();
            tally.done(intended, done, status, result.getFailure());
            try {
              if (onResponse != null) {
                onResponse.accept(i, intended, status, status == 0 ? null : getContentAsString());
              }
            } finally {
              slots.release();
            }
          }
        });
  }

  /** Counts and the histogram of one run; recorded from many client threads. */
  private static final class Tally {
    final ConcurrentHistogram latency = new ConcurrentHistogram(MAX_LATENCY_MICROS, 3);
    final LongAdder sent = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder failed = new LongAdder();
    final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong last = new AtomicLong();
    volatile String firstFailure;

    void sent(long intended) {
      sent.increment();
      first.accumulateAndGet(intended, Math::min);
    }

    void done(long intended, long done, int status, Throwable failure) {
      latency.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, (done - intended) / 1000)));
      last.accumulateAndGet(done, Math::max);
      if (status >= 200 && status < 300) {
        ok.increment();
      } else {
        failed.increment();
        if (firstFailure == null) {
          firstFailure = failure != null ? failure.toString() : "HTTP " + status;
        }
      }
    }

    Run finish(Semaphore slots, int permits, Duration timeout) throws InterruptedException {
      // Every request holds a slot until it completed, so holding all slots means all are done.
      if (!slots.tryAcquire(permits, timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "requests still outstanding after the client timeout: "
                + (permits - slots.availablePermits()));
      }
      slots.release(permits);
      Histogram copy = latency.copy();
      return new Run(
          sent.sum(), ok.sum(), failed.sum(), first.get(), last.get(), copy, firstFailure);
    }
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      // best effort at the end of a run
    }
  }
}
