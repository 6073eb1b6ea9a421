package dev.herald.api;

import static dev.herald.api.Routes.Access.ANY;
import static dev.herald.api.Routes.Access.ORG;
import static dev.herald.auth.Capability.VIEW_BASE;

import dev.herald.application.Application;
import dev.herald.application.ApplicationIn;
import dev.herald.application.ApplicationService;
import dev.herald.auth.AuthService;
import dev.herald.auth.PortalGrant;
import dev.herald.auth.Principal;
import dev.herald.error.Forbidden;
import dev.herald.json.BodyReader;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /api/v1/auth}: app-portal access (a token, and a single-use link that opens a portal
 * session in a browser), expire-all and logout.
 */
final class AuthRoutes {
  /** The longest delay expire-all accepts (Svix's limit for expiring old keys: 72 hours). */
  static final long MAX_EXPIRE_ALL_DELAY_SECONDS = 259_200;

  /** Where a portal link is opened (served by {@code dev.herald.portal.PortalRoutes}). */
  static final String PORTAL_OPEN_PATH = "/portal/open";

  private final AuthService auth;
  private final ApplicationService apps;
  private final Requests requests;
  private final Supplier<String> publicUrl;
  private final Duration portalTokenTtl;

  AuthRoutes(
      AuthService auth,
      ApplicationService apps,
      Requests requests,
      Supplier<String> publicUrl,
      Duration portalTokenTtl) {
    this.auth = auth;
    this.apps = apps;
    this.requests = requests;
    this.publicUrl = publicUrl;
    this.portalTokenTtl = portalTokenTtl;
  }

  void register(Routes r) {
    r.post("/api/v1/auth/app-portal-access/{app_id}", ORG, this::appPortalAccess);
    r.post("/api/v1/auth/app/{app_id}/expire-all", ORG, this::expireAll);
    r.post("/api/v1/auth/logout", ANY, VIEW_BASE, this::logout);
  }

  private void appPortalAccess(Context ctx, Principal p) {
    BodyReader body = requests.optionalBody(ctx);
    body.objectNode("application");
    PortalGrant grant = PortalGrant.read(body, portalTokenTtl);
    body.validate();
    String appId = Requests.uidPathParam(ctx, "app_id");
    Application app;
    if (body.has("application") && !body.isNull("application")) {
      // Svix creates the application on the fly when its details come with the request.
      ApplicationIn in = ApplicationIn.read(body.nested("application"));
      app = apps.upsertIfMissing(p.orgId(), appId, in);
    } else {
      app = apps.get(p.orgId(), appId);
    }
    AuthService.PortalAccess access = auth.issuePortalAccess(p.orgId(), app.id(), grant);
    // The code rides in the query string: request logs never record query strings.
    String url = publicUrl.get() + PORTAL_OPEN_PATH + "?code=" + access.linkCode();
    Responses.json(ctx, 200, Map.of("url", url, "token", access.token()));
  }

  /**
   * Svix's expire-all: ends the application's portal tokens, or only those of {@code sessionIds},
   * {@code expiry} seconds from now (default: now).
   */
  private void expireAll(Context ctx, Principal p) {
    BodyReader body = requests.optionalBody(ctx);
    Long expiry = body.integer("expiry", 0, MAX_EXPIRE_ALL_DELAY_SECONDS);
    List<String> sessionIds =
        body.stringSet(
            "sessionIds",
            0,
            1_000,
            PortalGrant.MAX_SESSION_ID_LENGTH,
            PortalGrant.SESSION_ID_PATTERN);
    body.validate();
    Application app = apps.get(p.orgId(), ctx.pathParam("app_id"));
    auth.expireAppTokens(
        p.orgId(),
        app.id(),
        Duration.ofSeconds(expiry == null ? 0 : expiry),
        sessionIds == null ? List.of() : sessionIds);
    Responses.noContent(ctx);
  }

  private void logout(Context ctx, Principal p) {
    if (!p.isAppScoped()) {
      // Svix: "Trying to log out other tokens will fail." Revoking an org key here would lock the
      // operator out for good when it is the only admin key.
      throw new Forbidden(
          "only app-portal tokens can log out; org keys are managed by the operator");
    }
    auth.revoke(Routes.bearer(ctx));
    Responses.noContent(ctx);
  }
}
