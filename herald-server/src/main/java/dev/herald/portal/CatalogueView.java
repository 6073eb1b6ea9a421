package dev.herald.portal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.eventtype.EventType;
import java.util.List;

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
          e.examples().isEmpty() ? null : DeliveryText.pretty(e.examples().get(0)));
    }
  }

  /** Grouped as the endpoint form groups them ({@link EventTypeChoices}). */
  static List<Group> group(List<EventType> types) {
    return EventTypeChoices.of(types).groups().stream()
        .map(g -> new Group(g.prefix(), g.types().stream().map(Entry::of).toList()))
        .toList();
  }
}
