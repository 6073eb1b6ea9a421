package dev.herald.api;

import static dev.herald.api.Routes.Access.ORG;

import dev.herald.auth.Principal;
import dev.herald.filter.FilterTestIn;
import io.javalin.http.Context;
import java.util.Map;

/** {@code /api/v1/filter/test}: tries a content filter on a document without saving anything. */
final class FilterRoutes {
  private final Requests requests;

  FilterRoutes(Requests requests) {
    this.requests = requests;
  }

  void register(Routes r) {
    r.post("/api/v1/filter/test", ORG, this::test);
  }

  private void test(Context ctx, Principal p) {
    FilterTestIn in = FilterTestIn.read(requests.body(ctx));
    Responses.json(ctx, 200, Map.of("matched", in.matched()));
  }
}
