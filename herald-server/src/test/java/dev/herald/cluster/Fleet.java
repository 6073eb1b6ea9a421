package dev.herald.cluster;

import dev.herald.testing.Api;
import dev.herald.testing.Receiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The receiving side of a load test: applications with two endpoints each, spread over a few real
 * receivers. Endpoint 0 of an application takes every event type; endpoint 1 only {@link #CREATED}.
 * Messages alternate the two types, so half of them fan out to both endpoints and half to one. Each
 * endpoint has its own path, so a request tells which endpoint it was for.
 */
final class Fleet implements AutoCloseable {
  static final String CREATED = "cluster.created";
  static final String UPDATED = "cluster.updated";
  static final int ENDPOINTS_PER_APP = 2;
  private static final int CREATORS = 4;

  private final List<Receiver> receivers;
  private final List<String> appIds;

  private Fleet(List<Receiver> receivers, List<String> appIds) {
    this.receivers = receivers;
    this.appIds = appIds;
  }

  /**
   * Creates the event types, {@code apps} applications and their endpoints through {@code api}; the
   * receivers answer 200 after {@code replyDelay}.
   */
  static Fleet create(Api api, int apps, int receiverCount, Duration replyDelay) {
    List<Receiver> receivers = new ArrayList<>();
    for (int r = 0; r < receiverCount; r++) {
      receivers.add(Receiver.start().replyWith(Receiver.Reply.ok().after(replyDelay)));
    }
    for (String type : List.of(CREATED, UPDATED)) {
      Api.Response r =
          api.post("/api/v1/event-type", Map.of("name", type, "description", "load test"));
      if (r.status() != 201 && r.status() != 409) {
        throw new AssertionError("create event type " + type + ": " + r);
      }
    }
    // Applications are independent: a few at a time, as several admins would create them.
    ExecutorService creators = Executors.newFixedThreadPool(CREATORS);
    try {
      List<Future<String>> created = new ArrayList<>();
      for (int a = 0; a < apps; a++) {
        int app = a;
        created.add(creators.submit(() -> createApp(api, app, receivers)));
      }
      List<String> appIds = new ArrayList<>();
      for (Future<String> f : created) {
        appIds.add(f.get());
      }
      return new Fleet(receivers, appIds);
    } catch (ExecutionException e) {
      receivers.forEach(Receiver::close);
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("creating the applications failed", e.getCause());
    } catch (InterruptedException e) {
      receivers.forEach(Receiver::close);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the applications", e);
    } finally {
      creators.shutdownNow();
    }
  }

  /** Application number {@code a} and its endpoints; returns the application's id. */
  private static String createApp(Api api, int a, List<Receiver> receivers) {
    Api.Response app =
        expect(api.post("/api/v1/app", Map.of("name", "load-" + a, "uid", "load-" + a)), 201);
    String appId = app.field("id");
    for (int e = 0; e < ENDPOINTS_PER_APP; e++) {
      Receiver receiver = receivers.get((a * ENDPOINTS_PER_APP + e) % receivers.size());
      Map<String, Object> body = new HashMap<>();
      body.put("url", receiver.url(path(a, e)));
      if (e == 1) {
        body.put("filterTypes", List.of(CREATED));
      }
      expect(api.post("/api/v1/app/" + appId + "/endpoint", body), 201);
    }
    return appId;
  }

  private static Api.Response expect(Api.Response r, int status) {
    if (r.status() != status) {
      throw new AssertionError("expected " + status + " but got " + r);
    }
    return r;
  }

  static String path(int app, int endpoint) {
    return "/a" + app + "/e" + endpoint;
  }

  int apps() {
    return appIds.size();
  }

  int endpoints() {
    return appIds.size() * ENDPOINTS_PER_APP;
  }

  String appId(int app) {
    return appIds.get(app);
  }

  /** The event type of message number {@code index}: the two types alternate. */
  static String eventType(int index) {
    return index % 2 == 0 ? CREATED : UPDATED;
  }

  /** The endpoint paths a message of {@code eventType} to application {@code app} must reach. */
  static List<String> destinations(int app, String eventType) {
    return CREATED.equals(eventType) ? List.of(path(app, 0), path(app, 1)) : List.of(path(app, 0));
  }

  /** What the receivers got, compared with what the accepted messages should have produced. */
  record Tally(
      int expected,
      int delivered,
      int duplicates,
      int unexpected,
      int requests,
      Set<String> missingSample,
      Set<String> unexpectedSample,
      Set<String> duplicateSample) {

    boolean complete() {
      return delivered == expected;
    }

    @Override
    public String toString() {
      return "expected "
          + expected
          + " deliveries, delivered "
          + delivered
          + ", duplicates "
          + duplicates
          + ", unexpected "
          + unexpected
          + ", requests "
          + requests
          + (missingSample.isEmpty() ? "" : ", missing e.g. " + missingSample)
          + (unexpectedSample.isEmpty() ? "" : ", unexpected e.g. " + unexpectedSample)
          + (duplicateSample.isEmpty() ? "" : ", duplicated e.g. " + duplicateSample);
    }
  }

  /**
   * Counts requests per (endpoint, message). A duplicate is any request beyond the first for a
   * pair; an unexpected request is one for a pair no accepted message should produce.
   */
  Tally tally(Collection<Traffic.Sent> accepted) {
    Map<String, Integer> seen = new HashMap<>();
    int requests = 0;
    for (Receiver receiver : receivers) {
      for (Receiver.Request r : receiver.requests()) {
        seen.merge(r.path() + " " + r.webhookId(), 1, Integer::sum);
        requests++;
      }
    }
    Set<String> expected = new HashSet<>();
    for (Traffic.Sent s : accepted) {
      for (String path : destinations(s.app(), s.eventType())) {
        expected.add(path + " " + s.msgId());
      }
    }
    int delivered = 0;
    int duplicates = 0;
    int unexpected = 0;
    Set<String> missing = new TreeSet<>();
    Set<String> unexpectedSample = new TreeSet<>();
    Set<String> duplicateSample = new TreeSet<>();
    for (String pair : expected) {
      Integer n = seen.get(pair);
      if (n == null) {
        if (missing.size() < 5) {
          missing.add(pair);
        }
      } else {
        delivered++;
      }
    }
    for (Map.Entry<String, Integer> e : seen.entrySet()) {
      duplicates += e.getValue() - 1;
      if (e.getValue() > 1 && duplicateSample.size() < 5) {
        duplicateSample.add(e.getKey());
      }
      if (!expected.contains(e.getKey())) {
        unexpected++;
        if (unexpectedSample.size() < 5) {
          unexpectedSample.add(e.getKey());
        }
      }
    }
    return new Tally(
        expected.size(),
        delivered,
        duplicates,
        unexpected,
        requests,
        missing,
        unexpectedSample,
        duplicateSample);
  }

  /** When the requests for a {@code "path msgId"} pair arrived (epoch ms), for failure messages. */
  List<Long> arrivals(String pair) {
    List<Long> out = new ArrayList<>();
    for (Receiver receiver : receivers) {
      for (Receiver.Request r : receiver.requests()) {
        if (pair.equals(r.path() + " " + r.webhookId())) {
          out.add(r.receivedAt().toEpochMilli());
        }
      }
    }
    return out;
  }

  /** Polls the receivers until every expected delivery arrived or the deadline passed. */
  Tally awaitComplete(Collection<Traffic.Sent> accepted, Duration deadline)
      throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      Tally t = tally(accepted);
      if (t.complete() || System.nanoTime() > end) {
        return t;
      }
      Thread.sleep(200);
    }
  }

  @Override
  public void close() {
    receivers.forEach(Receiver::close);
  }
}
