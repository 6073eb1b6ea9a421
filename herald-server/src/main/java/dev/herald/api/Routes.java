package dev.herald.api;

import dev.herald.application.Application;
import dev.herald.auth.AuthService;
import dev.herald.auth.Principal;
import dev.herald.error.Forbidden;
import dev.herald.error.NotFound;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.function.BiFunction;

/**
 * Registers handlers with the access rule each needs. Every authenticated POST goes through
 * {@link Idempotency}. Access rules:
 *
 * <ul>
 *   <li>{@link Access#ORG}: org keys only (app-portal tokens get 403);
 *   <li>{@link Access#APP}: org keys, or a portal token whose application is the path's {@code app_id};
 *   <li>{@link Access#ANY}: any valid key (e.g. reading event types for the portal).
 * </ul>
 */
final class Routes {

  enum Access { ORG, APP, ANY }

  /** A handler that runs after authentication. */
  @FunctionalInterface
  interface Authed {
    void handle(Context ctx, Principal principal) throws Exception;
  }

  private final RoutesConfig routes;
  private final AuthService auth;
  private final Idempotency idempotency;
  private final BiFunction<String, String, Application> findApp;

  Routes(RoutesConfig routes, AuthService auth, Idempotency idempotency,
      BiFunction<String, String, Application> findApp) {
    this.routes = routes;
    this.auth = auth;
    this.idempotency = idempotency;
    this.findApp = findApp;
  }

  void get(String path, Access access, Authed h) {
    routes.get(path, guarded(access, h));
  }

  void head(String path, Access access, Authed h) {
    routes.head(path, guarded(access, h));
  }

  void put(String path, Access access, Authed h) {
    routes.put(path, guarded(access, h));
  }

  void patch(String path, Access access, Authed h) {
    routes.patch(path, guarded(access, h));
  }

  void delete(String path, Access access, Authed h) {
    routes.delete(path, guarded(access, h));
  }

  void post(String path, Access access, Authed h) {
    routes.post(path, guarded(access, (ctx, p) -> idempotency.run(ctx, p, () -> h.handle(ctx, p))));
  }

  void publicGet(String path, Handler h) {
    routes.get(path, h);
  }

  void publicHead(String path, Handler h) {
    routes.head(path, h);
  }

  private Handler guarded(Access access, Authed h) {
    return ctx -> {
      Principal p = auth.authenticate(bearer(ctx));
      if (p.isAppScoped()) {
        switch (access) {
          case ORG -> throw new Forbidden("this token is limited to one application and cannot use " + ctx.path());
          case APP -> {
            Application app = findApp.apply(p.orgId(), ctx.pathParam("app_id"));
            if (!app.id().equals(p.appId())) {
              // 404 rather than 403: a portal token must not learn which other applications exist.
              throw new NotFound("application " + ctx.pathParam("app_id") + " not found");
            }
          }
          case ANY -> { }
        }
      }
      h.handle(ctx, p);
    };
  }

  static String bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      return null;
    }
    String trimmed = header.trim();
    return trimmed.regionMatches(true, 0, "Bearer ", 0, 7) ? trimmed.substring(7).trim() : null;
  }
}
