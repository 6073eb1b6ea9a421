package dev.herald.delivery;

import dev.herald.config.ConfigException;
import dev.herald.config.Env;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How deliveries are sent and retried. The lease formula lives here and nowhere else: a lease
 * always outlives the request timeout plus a margin, and is extended while the request runs, so a
 * healthy slow request is never handed to a second sender.
 */
public record DeliveryConfig(
    Duration requestTimeout,
    List<Duration> retrySchedule,
    int endpointConcurrency,
    int maxInFlight,
    SignatureHeaders signatureHeaders,
    List<String> ssrfAllow,
    Duration endpointDisableAfter,
    Duration pollInterval,
    int responseBodyLimit) {

  /** Which signature header names deliveries carry. */
  public enum SignatureHeaders {
    WEBHOOK,
    SVIX,
    BOTH
  }

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
  public static final String DEFAULT_RETRY_SCHEDULE = "5s,5m,30m,2h,5h,10h,10h";
  public static final int DEFAULT_ENDPOINT_CONCURRENCY = 10;
  public static final int DEFAULT_MAX_IN_FLIGHT = 1000;
  public static final Duration DEFAULT_DISABLE_AFTER = Duration.ofDays(5);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

  /** The first 20 KB of a response body are kept in the attempt log. */
  public static final int RESPONSE_BODY_LIMIT = 20 * 1024;

  /**
   * Added to twice the request timeout: covers clock skew between nodes and a slow database write.
   */
  private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

  public DeliveryConfig {
    retrySchedule = List.copyOf(retrySchedule);
    ssrfAllow = List.copyOf(ssrfAllow);
  }

  public static DeliveryConfig fromEnv(Env env) {
    return new DeliveryConfig(
        env.duration(
            "HERALD_REQUEST_TIMEOUT",
            DEFAULT_REQUEST_TIMEOUT,
            Duration.ofMillis(100),
            Duration.ofMinutes(5)),
        parseSchedule(env.string("HERALD_RETRY_SCHEDULE", DEFAULT_RETRY_SCHEDULE)),
        env.integer("HERALD_ENDPOINT_CONCURRENCY", DEFAULT_ENDPOINT_CONCURRENCY, 1, 1000),
        env.integer("HERALD_MAX_IN_FLIGHT", DEFAULT_MAX_IN_FLIGHT, 1, 100_000),
        env.choice("HERALD_SIGNATURE_HEADERS", SignatureHeaders.WEBHOOK, SignatureHeaders.class),
        parseCidrs(env.string("HERALD_SSRF_ALLOW", "")),
        env.duration(
            "HERALD_ENDPOINT_DISABLE_AFTER",
            DEFAULT_DISABLE_AFTER,
            Duration.ofMinutes(1),
            Duration.ofDays(365)),
        env.duration(
            "HERALD_POLL_INTERVAL",
            DEFAULT_POLL_INTERVAL,
            Duration.ofMillis(10),
            Duration.ofMinutes(1)),
        RESPONSE_BODY_LIMIT);
  }

  static List<Duration> parseSchedule(String text) {
    List<Duration> out = new ArrayList<>();
    if (text.isBlank() || text.equalsIgnoreCase("none")) {
      return out;
    }
    for (String part : text.split(",")) {
      out.add(Env.parseDuration("HERALD_RETRY_SCHEDULE", part.trim()));
    }
    if (out.size() > 50) {
      throw new ConfigException(
          "HERALD_RETRY_SCHEDULE has " + out.size() + " entries: allowed at most 50");
    }
    return out;
  }

  static List<String> parseCidrs(String text) {
    List<String> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String cidr = part.trim();
      if (cidr.isEmpty()) {
        continue;
      }
      try {
        Cidr.parse(cidr);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "HERALD_SSRF_ALLOW contains '"
                + cidr
                + "': "
                + e.getMessage()
                + " (write CIDRs such as 127.0.0.0/8 or ::1/128, separated by commas)");
      }
      out.add(cidr);
    }
    return out;
  }

  /**
   * How long a claim holds a delivery: twice the request timeout plus a margin, so even a request
   * that starts just before an extension is due finishes well inside its lease.
   */
  public Duration leaseDuration() {
    return requestTimeout.multipliedBy(2).plus(LEASE_MARGIN);
  }

  /**
   * Leases are extended this often, so each lease is renewed several times before it could lapse.
   */
  public Duration leaseExtendInterval() {
    return leaseDuration().dividedBy(4);
  }

  /**
   * How far apart requests to an endpoint found unreachable (a refused connection, a timeout) start
   * while it is probed: a second, or the first retry delay when that is shorter, so a probe never
   * waits longer than the delivery it carries would have.
   */
  public Duration probeInterval() {
    Duration second = Duration.ofSeconds(1);
    return retrySchedule.isEmpty() || retrySchedule.get(0).compareTo(second) > 0
        ? second
        : retrySchedule.get(0);
  }

  /** Total attempts a delivery gets: the immediate one plus one per schedule entry. */
  public int maxAttempts() {
    return retrySchedule.size() + 1;
  }
}
