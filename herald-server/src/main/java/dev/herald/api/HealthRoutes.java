package dev.herald.api;

import dev.herald.config.Role;
import dev.herald.error.NotFound;
import dev.herald.error.Unauthorized;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Health and metrics, without API keys: {@code /api/v1/health} (database, dispatcher and queue
 * state), liveness and readiness for orchestrators, and {@code /metrics} behind its own token.
 */
final class HealthRoutes {
  /** A due delivery waiting longer than this means the node is behind: health says degraded. */
  static final double BACKLOG_DEGRADED_SECONDS = 60;

  private final ApiServices services;

  HealthRoutes(ApiServices services) {
    this.services = services;
  }

  void register(Routes r) {
    r.publicGet("/api/v1/health", this::health);
    r.publicHead("/api/v1/health", this::health);
    r.publicGet("/api/v1/health/ping", ctx -> ctx.status(204));
    r.publicHead("/api/v1/health/ping", ctx -> ctx.status(204));
    r.publicGet("/api/v1/health/live", ctx -> Responses.json(ctx, 200, Map.of("status", "ok")));
    r.publicGet("/api/v1/health/ready", this::ready);
    r.publicGet("/metrics", this::metrics);
  }

  private void health(Context ctx) {
    boolean databaseUp = services.database().isHealthy();
    var queue = services.metrics().queue();
    String dispatcher;
    if (!services.config().hasRole(Role.WORKER)) {
      dispatcher = "off";
    } else if (services.draining().getAsBoolean()) {
      dispatcher = "draining";
    } else if (services.deliveriesHeld().getAsInt() >= services.config().delivery().maxInFlight()) {
      dispatcher = "saturated";
    } else {
      dispatcher = "ok";
    }
    boolean behind = queue.oldestDueSeconds() > BACKLOG_DEGRADED_SECONDS;
    String status =
        !databaseUp
            ? "down"
            : (behind || dispatcher.equals("saturated") || dispatcher.equals("draining"))
                ? "degraded"
                : "ok";
    Map<String, Object> queueView = new LinkedHashMap<>();
    queueView.put("status", behind ? "behind" : "ok");
    queueView.put("pending", queue.pending());
    queueView.put("dueNow", queue.dueNow());
    queueView.put("inFlight", queue.inFlight());
    queueView.put("leasedByDeadNodes", queue.leasedByDeadNodes());
    queueView.put("oldestDueSeconds", queue.oldestDueSeconds());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("database", databaseUp ? "ok" : "down");
    body.put("dispatcher", dispatcher);
    body.put("queue", queueView);
    if (!databaseUp) {
      ctx.header("Retry-After", "5");
    }
    Responses.json(ctx, databaseUp ? 200 : 503, body);
  }

  /** Ready for traffic: the database answers and the node is not draining. */
  private void ready(Context ctx) {
    boolean draining = services.draining().getAsBoolean();
    boolean databaseUp = !draining && services.database().isHealthy();
    boolean ready = databaseUp && !draining;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ready", ready);
    body.put("database", draining ? "unknown" : databaseUp ? "ok" : "down");
    body.put("draining", draining);
    Responses.json(ctx, ready ? 200 : 503, body);
  }

  private void metrics(Context ctx) {
    String token = services.config().metrics().token();
    if (token == null) {
      throw new NotFound(
          "metrics_disabled",
          "metrics are off on this port: set HERALD_METRICS_TOKEN, or HERALD_METRICS_PORT for a separate port");
    }
    String presented = Routes.bearer(ctx);
    if (presented == null
        || !MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
      throw new Unauthorized("metrics need 'Authorization: Bearer <HERALD_METRICS_TOKEN>'");
    }
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(services.metrics().scrape());
  }
}
