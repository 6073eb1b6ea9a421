package dev.herald.dashboard;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * Renders the dashboard's jte templates, compiled to classes at build time. Content type HTML: jte
 * escapes every {@code ${…}} for where it stands (text, attribute).
 */
final class DashboardPages {
  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  void login(Context ctx, int status, LoginView view) {
    render(ctx, status, "dashboard/login.jte", view);
  }

  void message(Context ctx, int status, MessageView view) {
    render(ctx, status, "dashboard/message.jte", view);
  }

  void render(Context ctx, int status, String template, Object view) {
    StringOutput out = new StringOutput();
    engine.render(template, view, out);
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }
}
