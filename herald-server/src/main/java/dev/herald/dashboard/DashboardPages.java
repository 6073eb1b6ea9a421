package dev.herald.dashboard;

import dev.herald.page.Templates;
import io.javalin.http.Context;

/** Renders the dashboard's templates ({@code src/main/jte/dashboard}). */
final class DashboardPages {
  private final Templates templates = new Templates();

  void login(Context ctx, int status, LoginView view) {
    render(ctx, status, "dashboard/login.jte", view);
  }

  void message(Context ctx, int status, MessageView view) {
    render(ctx, status, "dashboard/message.jte", view);
  }

  void render(Context ctx, int status, String template, Object view) {
    templates.render(ctx, status, template, view);
  }
}
