package dev.herald.portal;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * Renders the portal's jte templates. They are compiled to classes at build time (jte-maven-plugin)
 * and only loaded here, so the jar needs no Java compiler and no template files at run time.
 * Content type HTML: jte escapes every {@code ${…}} for where it stands (text, attribute).
 */
final class PortalPages {
  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  void endpoints(Context ctx, int status, EndpointsView view) {
    render(ctx, status, "portal/endpoints.jte", view);
  }

  void message(Context ctx, int status, MessageView view) {
    render(ctx, status, "portal/message.jte", view.themed(PortalTheme.of(ctx)));
  }

  void render(Context ctx, int status, String template, Object view) {
    StringOutput out = new StringOutput();
    engine.render(template, view, out);
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }
}
