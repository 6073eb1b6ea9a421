package dev.herald.examples;

import dev.herald.verify.Webhook;
import dev.herald.verify.WebhookVerificationException;
import io.javalin.Javalin;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * herald-verify's Javalin example, as its README shows it (ReceiverExamplesTest keeps them equal).
 */
final class JavalinReceiver {
  final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final String secret;

  JavalinReceiver(String secret) {
    this.secret = secret;
  }

  Javalin create() {
    // spotless:off (the README shows this region as written)
    // readme:javalin
    Webhook webhook = new Webhook(secret); // the endpoint's whsec_ secret

    Javalin app = Javalin.create(config -> config.routes.post("/webhooks", ctx -> {
      try {
        byte[] body = webhook.verify(ctx.bodyAsBytes(), ctx.headerMap());
        handle(body);
        ctx.status(204);
      } catch (WebhookVerificationException e) {
        ctx.status(400).result(e.getMessage());
      }
    }));
    // readme:end
    // spotless:on
    return app;
  }

  private void handle(byte[] body) {
    received.add(body);
  }
}
