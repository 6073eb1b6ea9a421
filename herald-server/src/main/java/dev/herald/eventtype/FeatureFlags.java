package dev.herald.eventtype;

import java.util.Set;

/**
 * The feature flags a caller holds. An event type that carries a flag is visible only to callers
 * holding it; {@link #ALL} (org keys) sees every event type.
 *
 * @param granted the flags held, or null for no restriction
 */
public record FeatureFlags(Set<String> granted) {
  public static final FeatureFlags ALL = new FeatureFlags(null);

  public FeatureFlags {
    granted = granted == null ? null : Set.copyOf(granted);
  }

  public static FeatureFlags only(Set<String> granted) {
    return new FeatureFlags(granted);
  }

  public boolean restricted() {
    return granted != null;
  }

  /** Whether an event type carrying {@code featureFlag} (null: none) is visible. */
  public boolean sees(String featureFlag) {
    return granted == null || featureFlag == null || granted.contains(featureFlag);
  }
}
