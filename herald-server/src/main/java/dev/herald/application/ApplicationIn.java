package dev.herald.application;

import dev.herald.json.BodyReader;
import java.util.Map;

/** The writable fields of an application, already validated. */
public record ApplicationIn(
    String name, String uid, Map<String, String> metadata, Integer throttleRate) {

  public ApplicationIn {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** Reads a full ApplicationIn body (POST and PUT). */
  public static ApplicationIn read(BodyReader body) {
    String name = body.requiredString("name");
    if (name != null && name.isEmpty()) {
      body.fail(
          "name", "ensure this value has at least 1 characters", "value_error.any_str.min_length");
    }
    String uid = body.string("uid", 1, 256, BodyReader.ID_PATTERN);
    Map<String, String> metadata = body.stringMap("metadata");
    Long throttle = body.integerOrAlias("throttleRate", "rateLimit", 1, 65535);
    body.validate();
    return new ApplicationIn(name, uid, metadata, throttle == null ? null : throttle.intValue());
  }

  /** Applies a PATCH body over an existing application: absent fields keep their value. */
  public static ApplicationIn patch(Application current, BodyReader body) {
    String name =
        body.has("name") ? body.string("name", 1, Integer.MAX_VALUE, null) : current.name();
    if (body.isNull("name")) {
      body.fail("name", "none is not an allowed value", "type_error.none.not_allowed");
    }
    String uid =
        body.has("uid") ? body.string("uid", 1, 256, BodyReader.ID_PATTERN) : current.uid();
    Map<String, String> metadata =
        body.has("metadata") ? body.stringMap("metadata") : current.metadata();
    Integer throttle = current.throttleRate();
    if (body.has("throttleRate") || body.has("rateLimit")) {
      Long t = body.integerOrAlias("throttleRate", "rateLimit", 0, 65535);
      throttle = t == null || t == 0 ? null : t.intValue();
    }
    body.validate();
    return new ApplicationIn(name, uid, metadata, throttle);
  }
}
