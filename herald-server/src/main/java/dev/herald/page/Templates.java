package dev.herald.page;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * Renders Herald's jte templates. They are compiled to classes at build time (jte-maven-plugin) and
 * only loaded here, so the jar needs no Java compiler and no template files at run time. Content
 * type HTML: jte escapes every {@code ${…}} for where it stands (text, attribute).
 */
public final class Templates {
  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  /** Renders {@code template} (e.g. {@code "dashboard/keys.jte"}) with its one parameter. */
  public void render(Context ctx, int status, String template, Object view) {
    StringOutput out = new StringOutput();
    engine.render(template, view, out);
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }
}
