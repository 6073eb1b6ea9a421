package dev.herald.api;

import static dev.herald.auth.Capability.MANAGE_TRANSFORMATIONS;

import dev.herald.auth.Principal;
import dev.herald.transform.Transformations;
import io.javalin.http.Context;

/**
 * {@code …/endpoint/{endpoint_id}/transformation}: an endpoint's transformation (Svix's routes).
 */
final class TransformationRoutes {
  private static final String PATH = EndpointRoutes.APP_ENDPOINTS + "/{endpoint_id}/transformation";

  private final Transformations transformations;
  private final Requests requests;

  TransformationRoutes(Transformations transformations, Requests requests) {
    this.transformations = transformations;
    this.requests = requests;
  }

  void register(Routes r) {
    // Portal tokens need ManageTransformations even to read: the code may hold credentials.
    r.get(PATH, Routes.Access.APP, MANAGE_TRANSFORMATIONS, this::get);
    r.patch(PATH, Routes.Access.APP, MANAGE_TRANSFORMATIONS, this::patch);
    r.post(PATH + "/simulate", Routes.Access.APP, MANAGE_TRANSFORMATIONS, this::simulate);
  }

  private void get(Context ctx, Principal p) {
    Responses.json(ctx, 200, transformations.get(p.orgId(), app(ctx), endpoint(ctx)));
  }

  private void patch(Context ctx, Principal p) {
    transformations.patch(p.orgId(), app(ctx), endpoint(ctx), requests.body(ctx));
    Responses.noContent(ctx);
  }

  private void simulate(Context ctx, Principal p) {
    Responses.json(
        ctx, 200, transformations.simulate(p.orgId(), app(ctx), endpoint(ctx), requests.body(ctx)));
  }

  private static String app(Context ctx) {
    return ctx.pathParam("app_id");
  }

  private static String endpoint(Context ctx) {
    return ctx.pathParam("endpoint_id");
  }
}
