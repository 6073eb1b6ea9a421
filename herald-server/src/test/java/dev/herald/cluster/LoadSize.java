package dev.herald.cluster;

import java.time.Duration;

/**
 * How big the load tests run. The full size (20,000 messages over 200 endpoints) takes minutes on a
 * two-core machine, so {@code ./mvnw verify} runs a reduced load over the same 200 endpoints and
 * {@code -Pfull-cluster} (system property {@code herald.cluster.size=full}) runs the full one.
 */
record LoadSize(String name, int messages, int apps, Duration deadline) {
  static final String PROPERTY = "herald.cluster.size";

  static LoadSize fromSystemProperty() {
    String name = System.getProperty(PROPERTY, "reduced");
    return switch (name) {
      case "full" -> new LoadSize(name, 20_000, 100, Duration.ofMinutes(5));
      case "reduced" -> new LoadSize(name, 4_000, 100, Duration.ofMinutes(2));
      default ->
          throw new IllegalArgumentException(PROPERTY + "=" + name + ": allowed full or reduced");
    };
  }
}
