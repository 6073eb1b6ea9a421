package dev.herald.dashboard;

import dev.herald.auth.DashboardSessions.Refused;
import dev.herald.auth.DashboardSessions.SignedIn;
import dev.herald.page.ServedAssets;
import dev.herald.page.ServedAssets.Asset;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * {@code /dashboard}: the operator dashboard, server-rendered. Signing in with an org API key gives
 * a session cookie (12 hours); every change needs the session's CSRF token. {@code GET /} sends a
 * browser here. The pages are registered by their groups ({@link OverviewPages}, …).
 */
public final class DashboardRoutes {
  private final DashboardServices services;
  private final DashboardRequests requests;
  private final ServedAssets assets =
      new ServedAssets(
          "/dashboard/assets",
          Map.of(
              "htmx.min.js",
              new Asset(
                  ServedAssets.npmWebJar("htmx.org", "dist/htmx.min.js"), ServedAssets.JAVASCRIPT),
              "uPlot.iife.min.js",
              new Asset(
                  ServedAssets.npmWebJar("uplot", "dist/uPlot.iife.min.js"),
                  ServedAssets.JAVASCRIPT),
              "uPlot.min.css",
              new Asset(ServedAssets.npmWebJar("uplot", "dist/uPlot.min.css"), ServedAssets.CSS),
              "dashboard.js",
              new Asset("/dashboard/dashboard.js", ServedAssets.JAVASCRIPT),
              "dashboard.css",
              new Asset("/dashboard/dashboard.css", ServedAssets.CSS)));

  public DashboardRoutes(DashboardServices services) {
    this.services = services;
    this.requests =
        new DashboardRequests(
            services.sessions(),
            new DashboardPages(),
            new DashboardCookies(services.publicUrl(), services.clock()));
  }

  public void register(RoutesConfig routes) {
    routes.get("/", ctx -> ctx.redirect("/dashboard", HttpStatus.FOUND));
    routes.get("/dashboard/login", requests.page(ctx -> requests.login(ctx, 200, null)));
    routes.post("/dashboard/login", requests.page(this::signIn));
    routes.post("/dashboard/logout", requests.page(this::signOut));
    routes.get("/dashboard/signed-out", requests.page(this::signedOut));
    routes.get("/dashboard/assets/{file}", assets::serve);
    new OverviewPages(services, requests).register(routes);
    new ExplorerPages(services, requests).register(routes);
    new HealthPages(services, requests).register(routes);
    new ApplicationPages(services, requests).register(routes);
    new KeyPages(services, requests).register(routes);
    new EventTypePages(services, requests).register(routes);
    new OperationalPages(services, requests).register(routes);
  }

  private void signIn(Context ctx) {
    String cookie = ctx.cookie(DashboardCookies.LOGIN_COOKIE);
    String field = ctx.formParam("_login");
    if (cookie == null
        || field == null
        || !MessageDigest.isEqual(
            cookie.getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8))) {
      requests.login(
          ctx, 403, "The sign-in form was out of date or sent from another site. Try again.");
      return;
    }
    switch (services.sessions().signIn(ctx.formParam("key"))) {
      case SignedIn in -> {
        DashboardCookies cookies = requests.cookies();
        ctx.res().addHeader("Set-Cookie", cookies.session(in.secret(), in.expiresAt()));
        ctx.res().addHeader("Set-Cookie", cookies.loginCleared());
        ctx.redirect("/dashboard", HttpStatus.SEE_OTHER);
      }
      case Refused r -> requests.login(ctx, 401, r.reason());
    }
  }

  private void signOut(Context ctx) {
    var s = requests.session(ctx);
    DashboardRequests.requireCsrf(ctx, s);
    services.sessions().end(ctx.cookie(DashboardRequests.COOKIE));
    ctx.res().addHeader("Set-Cookie", requests.cookies().sessionCleared());
    ctx.redirect("/dashboard/signed-out", HttpStatus.SEE_OTHER);
  }

  private void signedOut(Context ctx) {
    requests
        .pages()
        .message(ctx, 200, new MessageView("You are signed out", "Sign in again to continue."));
  }
}
