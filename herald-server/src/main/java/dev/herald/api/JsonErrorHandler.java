package dev.herald.api;

import dev.herald.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a header or URI over the limit, a malformed request, a body that stops
 * arriving) in the API's {@code {code, detail}} shape instead of Jetty's HTML page. These fail
 * before a route runs, so {@link ErrorMapping} never sees them.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");
  private static final int MAX_DETAIL = 200;

  @Override
  public boolean errorPageForMethod(String method) {
    return true; // a PUT or DELETE gets the same body as a GET
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    response.getHeaders().put(JSON);
    response.write(true, body(code, message), callback);
  }

  static ByteBuffer body(int status, String message) {
    String detail = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
    if (detail.length() > MAX_DETAIL) {
      detail = detail.substring(0, MAX_DETAIL);
    }
    var error = new ErrorMapping.ErrorBody(code(status), detail);
    return ByteBuffer.wrap(Json.write(error).getBytes(StandardCharsets.UTF_8));
  }

  static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 431 -> "request_header_fields_too_large";
      case 500 -> "internal_error";
      case 503 -> "service_unavailable";
      default -> "http_error";
    };
  }
}
