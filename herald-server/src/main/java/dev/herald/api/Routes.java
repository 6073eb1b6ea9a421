package dev.herald.api;

import dev.herald.application.Application;
import dev.herald.auth.AuthService;
import dev.herald.auth.Capability;
import dev.herald.auth.Principal;
import dev.herald.error.Forbidden;
import dev.herald.error.NotFound;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.function.BiFunction;

/**
 * Registers handlers with the access rule each needs. Every authenticated POST goes through {@link
 * Idempotency}. Access rules:
 *
 * <ul>
 *   <li>{@link Access#ORG}: org keys only (app-portal tokens get 403);
 *   <li>{@link Access#APP}: org keys, or a portal token whose application is the path's {@code
 *       app_id};
 *   <li>{@link Access#ANY}: any valid key (e.g. reading event types for the portal).
 * </ul>
 *
 * <p>A route open to portal tokens ({@code APP} or {@code ANY}) must name the {@link Capability} it
 * needs; a portal token without it gets 403 {@code insufficient_capability}. Org keys hold every
 * capability. Registering such a route without a capability fails at start, so none is forgotten.
 */
final class Routes {

  enum Access {
    ORG,
    APP,
    ANY
  }

  /** A handler that runs after authentication. */
  @FunctionalInterface
  interface Authed {
    void handle(Context ctx, Principal principal) throws Exception;
  }

  private final RoutesConfig routes;
  private final AuthService auth;
  private final Idempotency idempotency;
  private final BiFunction<String, String, Application> findApp;

  Routes(
      RoutesConfig routes,
      AuthService auth,
      Idempotency idempotency,
      BiFunction<String, String, Application> findApp) {
    this.routes = routes;
    this.auth = auth;
    this.idempotency = idempotency;
    this.findApp = findApp;
  }

  void get(String path, Access access, Authed h) {
    get(path, access, null, h);
  }

  void get(String path, Access access, Capability needs, Authed h) {
    routes.get(path, guarded(path, access, needs, h));
  }

  void head(String path, Access access, Authed h) {
    head(path, access, null, h);
  }

  void head(String path, Access access, Capability needs, Authed h) {
    routes.head(path, guarded(path, access, needs, h));
  }

  void put(String path, Access access, Authed h) {
    put(path, access, null, h);
  }

  void put(String path, Access access, Capability needs, Authed h) {
    routes.put(path, guarded(path, access, needs, h));
  }

  void patch(String path, Access access, Authed h) {
    patch(path, access, null, h);
  }

  void patch(String path, Access access, Capability needs, Authed h) {
    routes.patch(path, guarded(path, access, needs, h));
  }

  void delete(String path, Access access, Authed h) {
    delete(path, access, null, h);
  }

  void delete(String path, Access access, Capability needs, Authed h) {
    routes.delete(path, guarded(path, access, needs, h));
  }

  void post(String path, Access access, Authed h) {
    post(path, access, null, h);
  }

  void post(String path, Access access, Capability needs, Authed h) {
    routes.post(
        path,
        guarded(path, access, needs, (ctx, p) -> idempotency.run(ctx, p, () -> h.handle(ctx, p))));
  }

  /**
   * A POST whose one write transaction records its idempotency key with the answer ({@link
   * Idempotency#runAnsweringInTransaction}); the handler takes the key from {@link
   * Idempotency#inTransaction}.
   */
  void postAnsweringInTransaction(String path, Access access, Capability needs, Authed h) {
    routes.post(
        path,
        guarded(
            path,
            access,
            needs,
            (ctx, p) -> idempotency.runAnsweringInTransaction(ctx, p, () -> h.handle(ctx, p))));
  }

  /**
   * A POST whose answer holds a new secret (an API key): it ignores {@code idempotency-key}, since
   * a replay would need the answer, secret and all, stored in the idempotency table for a day.
   * Retrying such a request makes a second one.
   */
  void postAnsweringASecret(String path, Access access, Authed h) {
    routes.post(path, guarded(path, access, null, h));
  }

  void publicGet(String path, Handler h) {
    routes.get(path, h);
  }

  /** A POST without an API key and without idempotency (the ingest URL: providers sign instead). */
  void publicPost(String path, Handler h) {
    routes.post(path, h);
  }

  void publicHead(String path, Handler h) {
    routes.head(path, h);
  }

  private Handler guarded(String path, Access access, Capability needs, Authed h) {
    if (access != Access.ORG && needs == null) {
      throw new IllegalStateException(
          "route " + path + " is open to app-portal tokens and must name the capability it needs");
    }
    return ctx -> {
      Principal p = auth.authenticate(bearer(ctx));
      if (p.isAppScoped()) {
        switch (access) {
          case ORG ->
              throw new Forbidden(
                  "this token is limited to one application and cannot use " + ctx.path());
          case APP -> {
            Application app = findApp.apply(p.orgId(), ctx.pathParam("app_id"));
            if (!app.id().equals(p.appId())) {
              // 404 rather than 403: a portal token must not learn which other applications exist.
              throw new NotFound("application " + ctx.pathParam("app_id") + " not found");
            }
          }
          case ANY -> {}
        }
        if (!p.can(needs)) {
          throw new Forbidden(
              "insufficient_capability",
              "this token lacks the "
                  + needs.wireName()
                  + " capability that "
                  + ctx.method()
                  + " "
                  + path
                  + " needs");
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
