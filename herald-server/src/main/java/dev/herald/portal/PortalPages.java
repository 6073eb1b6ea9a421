package dev.herald.portal;

import dev.herald.page.Templates;
import io.javalin.http.Context;

/** Renders the portal's templates ({@code src/main/jte/portal}), and its message pages themed. */
final class PortalPages {
  private final Templates templates = new Templates();

  void message(Context ctx, int status, MessageView view) {
    render(ctx, status, "portal/message.jte", view.themed(PortalTheme.of(ctx)));
  }

  void render(Context ctx, int status, String template, Object view) {
    templates.render(ctx, status, template, view);
  }
}
