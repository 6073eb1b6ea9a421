package dev.herald.dashboard;

import dev.herald.store.OrgViewStore.EndpointRow;
import java.util.List;

/**
 * The endpoint health board.
 *
 * @param all every endpoint, not only those with a problem
 * @param result what the last action did, or null
 */
public record HealthView(Frame frame, boolean all, List<EndpointRow> endpoints, Result result) {

  /** A done action's notice, or a recover's dry run waiting for confirmation. */
  public record Result(String notice, DryRun dryRun) {}

  /** What a recover would do: {@code deliveries} failed deliveries of these endpoints. */
  public record DryRun(List<String> endpointIds, String since, long deliveries, int endpoints) {}

  public static final List<String> SINCE = List.of("1h", "24h", "7d");

  public static String state(EndpointRow e) {
    if (e.disabled()) {
      return "Disabled";
    }
    if (e.failingSince() != null) {
      return "Failing since " + ExplorerView.time(e.failingSince());
    }
    return "Enabled";
  }

  public static String stateClass(EndpointRow e) {
    return e.disabled() ? "off" : e.failingSince() != null ? "failing" : "on";
  }
}
