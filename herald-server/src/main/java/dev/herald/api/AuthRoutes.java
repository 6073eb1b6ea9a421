package dev.herald.api;

import static dev.herald.api.Routes.Access.ANY;
import static dev.herald.api.Routes.Access.ORG;

import dev.herald.application.Application;
import dev.herald.application.ApplicationIn;
import dev.herald.application.ApplicationService;
import dev.herald.auth.AuthService;
import dev.herald.auth.Principal;
import dev.herald.error.Forbidden;
import dev.herald.json.BodyReader;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /api/v1/auth}: app-portal access tokens and logout. */
final class AuthRoutes {
  private final AuthService auth;
  private final ApplicationService apps;
  private final Requests requests;
  private final Supplier<String> publicUrl;
  private final Duration portalTokenTtl;

  AuthRoutes(AuthService auth, ApplicationService apps, Requests requests, Supplier<String> publicUrl, Duration portalTokenTtl) {
    this.auth = auth;
    this.apps = apps;
    this.requests = requests;
    this.publicUrl = publicUrl;
    this.portalTokenTtl = portalTokenTtl;
  }

  void register(Routes r) {
    r.post("/api/v1/auth/app-portal-access/{app_id}", ORG, this::appPortalAccess);
    r.post("/api/v1/auth/logout", ANY, this::logout);
  }

  private void appPortalAccess(Context ctx, Principal p) {
    BodyReader body = requests.optionalBody(ctx);
    body.objectNode("application");
    body.stringSet("featureFlags", 0, 100, 256, BodyReader.ID_PATTERN);
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
    String token = auth.issuePortalToken(p.orgId(), app.id(), portalTokenTtl);
    Responses.json(ctx, 200, Map.of("url", publicUrl.get() + "/api/v1", "token", token));
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
