package dev.herald.api;

import dev.herald.json.Json;
import io.javalin.http.Context;

/** Writes response bodies. The bytes are also kept on the context so idempotency can store them. */
final class Responses {
  static final String BODY_ATTRIBUTE = "herald.responseBody";

  private Responses() {}

  static void json(Context ctx, int status, Object body) {
    byte[] bytes = Json.writeBytes(body);
    ctx.status(status).contentType("application/json").result(bytes);
    ctx.attribute(BODY_ATTRIBUTE, bytes);
  }

  static void noContent(Context ctx) {
    ctx.status(204);
    ctx.attribute(BODY_ATTRIBUTE, new byte[0]);
  }

  static void raw(Context ctx, int status, byte[] body) {
    if (body.length == 0) {
      ctx.status(status);
    } else {
      ctx.status(status).contentType("application/json").result(body);
    }
    ctx.attribute(BODY_ATTRIBUTE, body);
  }
}
