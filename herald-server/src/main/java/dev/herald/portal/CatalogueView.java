package dev.herald.portal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.eventtype.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code portal/event-types.jte} shows: the event types the session sees, grouped by the part
 * of their name before the first dot ({@code invoice.paid} under {@code invoice}).
 *
 * @param more true when there are more event types than the page lists
 */
public record CatalogueView(PortalFrame frame, List<Group> groups, boolean more) {

  public CatalogueView {
    groups = List.copyOf(groups);
  }

  /** The event types sharing a prefix, by name. */
  public record Group(String prefix, List<Entry> entries) {
    public Group {
      entries = List.copyOf(entries);
    }
  }

  /**
   * One event type as the catalogue shows it.
   *
   * @param schema its JSON Schemas (by version), indented, or null without one
   * @param example the first example in its schemas, indented, or null without one
   */
  public record Entry(
      String name, String description, boolean deprecated, String schema, String example) {

    static Entry of(EventType e) {
      JsonNode schemas = e.schemas();
      boolean hasSchema = schemas != null && !schemas.isNull() && !schemas.isEmpty();
      return new Entry(
          e.name(),
          e.description(),
          e.deprecated(),
          hasSchema ? DeliveryText.pretty(schemas) : null,
          hasSchema ? example(schemas) : null);
    }

    /** The first example of the first schema that has one, as send-example uses it. */
    private static String example(JsonNode schemas) {
      for (JsonNode schema : schemas) {
        JsonNode examples = schema.path("examples");
        if (examples.isArray() && !examples.isEmpty()) {
          return DeliveryText.pretty(examples.get(0));
        }
      }
      return null;
    }
  }

  static List<Group> group(List<EventType> types) {
    Map<String, List<Entry>> byPrefix = new TreeMap<>();
    for (EventType t : types) {
      int dot = t.name().indexOf('.');
      String prefix = dot > 0 ? t.name().substring(0, dot) : t.name();
      byPrefix.computeIfAbsent(prefix, k -> new ArrayList<>()).add(Entry.of(t));
    }
    List<Group> out = new ArrayList<>();
    byPrefix.forEach((prefix, entries) -> out.add(new Group(prefix, entries)));
    return out;
  }
}
