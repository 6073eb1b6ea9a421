package dev.herald.transform;

import dev.herald.json.BodyReader;
import java.time.Instant;

/**
 * A {@code PATCH …/transformation} body (Svix's {@code EndpointTransformationPatch}): {@code code}
 * left out keeps the current code, {@code null} removes it; {@code enabled} left out keeps the
 * current switch.
 */
record TransformationPatch(boolean setsCode, String code, Boolean enabled) {

  static TransformationPatch read(BodyReader body) {
    boolean setsCode = body.has("code");
    String code =
        body.string("code", Transformation.MIN_CODE_CHARS, Transformation.MAX_CODE_CHARS, null);
    Boolean enabled = body.bool("enabled");
    body.validate();
    return new TransformationPatch(setsCode, code, enabled);
  }

  Transformation applyTo(Transformation current, Instant now) {
    return new Transformation(
        setsCode ? code : current.code(), enabled != null ? enabled : current.enabled(), now);
  }
}
