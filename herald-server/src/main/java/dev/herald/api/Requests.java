package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.error.PayloadTooLarge;
import dev.herald.error.ValidationFailed;
import dev.herald.json.BodyReader;
import dev.herald.json.Json;
import dev.herald.json.JsonBody;
import dev.herald.store.PageRequest;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

/** Reads request bodies and query parameters, answering 413 and 422 for bad ones. */
final class Requests {
  /** The largest refused body read to its end before the 413 ({@link #discardBody}). */
  static final long DISCARD_LIMIT = 8L * 1024 * 1024;

  private final long maxBodyBytes;

  Requests(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  byte[] bytes(Context ctx) {
    return bodyWithin(ctx, maxBodyBytes, () -> {});
  }

  /**
   * The request's body, or a 413 when it is longer than {@code maxBodyBytes}; {@code whenTooLarge}
   * runs before that 413 is thrown (the ingest URL counts it).
   */
  static byte[] bodyWithin(Context ctx, long maxBodyBytes, Runnable whenTooLarge) {
    // Read the body before refusing it, even when Content-Length already tells it is too large:
    // answering while the client is still sending makes the server close a socket with unread
    // data, and the TCP reset that follows can destroy the 413 before the client reads it.
    // Javalin's maxRequestSize (a multiple of the limit) bounds what it reads; a body declared
    // larger than the limit is read here and thrown away, since Javalin would refuse it unread.
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) {
      discardBody(ctx, declared, maxBodyBytes);
      whenTooLarge.run();
      throw tooLarge(declared, maxBodyBytes);
    }
    byte[] body = readBody(ctx);
    if (body.length > maxBodyBytes) {
      whenTooLarge.run();
      throw tooLarge(body.length, maxBodyBytes);
    }
    return body;
  }

  /**
   * Reads a refused body to its end so that the client, which sends it all before it reads the
   * answer (Java's HttpClient, curl without {@code Expect}), gets the 413 rather than a reset
   * connection. It is read in small pieces and kept nowhere. Bodies above {@link #DISCARD_LIMIT}
   * (or twice the limit, when that is more) are not read: the answer goes at once, and such a
   * client may see the connection reset instead.
   */
  private static void discardBody(Context ctx, long declared, long maxBodyBytes) {
    if (declared > Math.max(DISCARD_LIMIT, 2 * maxBodyBytes)) {
      return;
    }
    try {
      ctx.req().getInputStream().transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The client stopped sending (or the idle timeout cut it off): it is answered all the same.
    }
  }

  /**
   * A body that stops arriving ends in Jetty's idle timeout; Javalin would answer that with a bare
   * 408 of its own, so it is turned into an error that gets the API's JSON shape.
   */
  private static byte[] readBody(Context ctx) {
    try {
      return ctx.bodyAsBytes();
    } catch (Exception e) { // Kotlin code: the IOException is not declared
      if (e instanceof IOException
          && e.getCause() instanceof java.util.concurrent.TimeoutException) {
        throw new HttpResponseException(
            408, "the request body did not arrive within the idle timeout");
      }
      throw e instanceof RuntimeException r ? r : new java.io.UncheckedIOException((IOException) e);
    }
  }

  private static PayloadTooLarge tooLarge(long size, long maxBodyBytes) {
    return new PayloadTooLarge(
        "the request body is "
            + size
            + " bytes; the limit is "
            + maxBodyBytes
            + " (HERALD_MAX_PAYLOAD_SIZE)");
  }

  /** The body as one JSON value; nothing but whitespace may follow it. */
  JsonNode json(Context ctx) {
    return parsed(ctx).root();
  }

  private JsonBody parsed(Context ctx) {
    byte[] body = bytes(ctx);
    if (body.length == 0) {
      throw new ValidationFailed(
          List.of(
              new ValidationFailed.Item(
                  List.of("body"), "a JSON body is required", "value_error.missing")));
    }
    return JsonBody.parse(body);
  }

  BodyReader body(Context ctx) {
    return new BodyReader(parsed(ctx));
  }

  /** An optional body: an empty request means an empty object. */
  BodyReader optionalBody(Context ctx) {
    byte[] body = bytes(ctx);
    return body.length == 0 ? new BodyReader(Json.MAPPER.createObjectNode()) : body(ctx);
  }

  static PageRequest page(Context ctx, boolean descendingByDefault) {
    int limit = PageRequest.DEFAULT_LIMIT;
    String limitText = ctx.queryParam("limit");
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        throw queryError("limit", "value is not a valid integer", "type_error.integer");
      }
      if (limit < 1) {
        throw queryError(
            "limit", "ensure this value is greater than 0", "value_error.number.not_gt");
      }
    }
    String order = ctx.queryParam("order");
    boolean descending = descendingByDefault;
    if (order != null) {
      switch (order.toLowerCase(Locale.ROOT)) {
        case "ascending" -> descending = false;
        case "descending" -> descending = true;
        default ->
            throw queryError(
                "order",
                "value is not a valid enumeration member; permitted: 'ascending', 'descending'",
                "type_error.enum");
      }
    }
    String iterator = ctx.queryParam("iterator");
    return new PageRequest(
        limit, iterator == null || iterator.isEmpty() ? null : iterator, descending);
  }

  /**
   * A path parameter that may become a new application's uid (PUT, portal access), so it must obey
   * the uid rule; otherwise an upsert would store a uid that no create could.
   */
  static String uidPathParam(Context ctx, String name) {
    String value = ctx.pathParam(name);
    if (value.length() > 256 || !BodyReader.ID_PATTERN.matcher(value).matches()) {
      String msg =
          "string does not match regex \""
              + BodyReader.ID_PATTERN.pattern()
              + "\" and be 1..256 characters";
      throw new ValidationFailed(
          List.of(new ValidationFailed.Item(List.of("path", name), msg, "value_error.str.regex")));
    }
    return value;
  }

  static boolean flag(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return false;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default ->
          throw queryError(name, "value could not be parsed to a boolean", "type_error.bool");
    };
  }

  static ValidationFailed queryError(String name, String msg, String type) {
    return new ValidationFailed(
        List.of(new ValidationFailed.Item(List.of("query", name), msg, type)));
  }
}
