package dev.herald.api;

import dev.herald.store.Database;
import io.javalin.http.Context;

/** {@code /api/v1/health}: 204 when the database answers, 503 otherwise. No authentication. */
final class HealthRoutes {
  private final Database db;

  HealthRoutes(Database db) {
    this.db = db;
  }

  void register(Routes r) {
    r.publicGet("/api/v1/health", this::health);
    r.publicHead("/api/v1/health", this::health);
    r.publicGet("/api/v1/health/ping", ctx -> ctx.status(204));
    r.publicHead("/api/v1/health/ping", ctx -> ctx.status(204));
  }

  private void health(Context ctx) {
    if (db.isHealthy()) {
      ctx.status(204);
    } else {
      ctx.header("Retry-After", "5");
      Responses.json(ctx, 503, new ErrorMapping.ErrorBody("database_unavailable", "database: down"));
    }
  }
}
