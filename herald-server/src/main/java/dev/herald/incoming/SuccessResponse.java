package dev.herald.incoming;

/** What an accepted (or duplicate) request is answered with. */
public record SuccessResponse(int status, String contentType, String body) {
  public static final SuccessResponse DEFAULT =
      new SuccessResponse(200, "application/json", "{\"received\":true}");
}
