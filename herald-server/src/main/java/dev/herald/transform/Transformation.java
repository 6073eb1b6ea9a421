package dev.herald.transform;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * An endpoint's transformation as stored: JavaScript declaring {@code function handler(webhook)},
 * and whether it runs. {@code code} is null when none was ever saved (or it was removed); the JSON
 * form is Svix's {@code EndpointTransformationOut}.
 */
public record Transformation(
    @JsonInclude(JsonInclude.Include.ALWAYS) String code, boolean enabled, Instant updatedAt) {

  /** Svix's bounds on {@code code}, in characters. */
  public static final int MIN_CODE_CHARS = 10;

  public static final int MAX_CODE_CHARS = 51_200;

  /** What an endpoint that never had a transformation reads as. */
  static Transformation none(Instant createdAt) {
    return new Transformation(null, false, createdAt);
  }

  /** True when deliveries to the endpoint go through the code. */
  public boolean active() {
    return enabled && code != null;
  }
}
