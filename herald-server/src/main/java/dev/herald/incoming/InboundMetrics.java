package dev.herald.incoming;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code herald_inbound_requests_total{source,result}}: requests to ingest URLs by source id and
 * result. A request naming no known source counts under {@code source="unknown"}, so strangers
 * cannot create series.
 */
final class InboundMetrics {
  static final String UNKNOWN_SOURCE = "unknown";

  enum Result {
    ACCEPTED,
    DUPLICATE,
    CHALLENGE,
    REJECTED,
    NOT_FOUND,
    TOO_LARGE,
    RATE_LIMITED;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final MeterRegistry registry;

  InboundMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(String sourceId, Result result) {
    Counter.builder("herald.inbound.requests")
        .description("requests to incoming-webhook ingest URLs, by source and result")
        .tag("source", sourceId == null ? UNKNOWN_SOURCE : sourceId)
        .tag("result", result.label())
        .register(registry)
        .increment();
  }
}
