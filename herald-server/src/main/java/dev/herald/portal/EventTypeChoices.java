package dev.herald.portal;

import dev.herald.eventtype.EventType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event types a session may subscribe an endpoint to, grouped by the part of their name before
 * the first dot ({@code invoice.paid} and {@code invoice.failed} under {@code invoice}), in name
 * order.
 */
public record EventTypeChoices(List<Group> groups) {

  /** The types sharing one prefix; a name without a dot is a group of its own. */
  public record Group(String prefix, List<EventType> types) {
    public Group {
      types = List.copyOf(types);
    }

    /** The group's id in the page (prefixes may hold characters an id should not). */
    public String domId(int index) {
      return "group-" + index;
    }
  }

  public EventTypeChoices {
    groups = List.copyOf(groups);
  }

  static EventTypeChoices of(List<EventType> types) {
    Map<String, List<EventType>> byPrefix = new LinkedHashMap<>();
    types.stream()
        .filter(t -> !t.archived())
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(t -> byPrefix.computeIfAbsent(prefix(t.name()), k -> new ArrayList<>()).add(t));
    return new EventTypeChoices(
        byPrefix.entrySet().stream().map(e -> new Group(e.getKey(), e.getValue())).toList());
  }

  static String prefix(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  public boolean isEmpty() {
    return groups.isEmpty();
  }

  List<String> namesIn(String prefix) {
    return groups.stream()
        .filter(g -> g.prefix().equals(prefix))
        .flatMap(g -> g.types().stream().map(EventType::name))
        .toList();
  }

  /** Names an endpoint has that the catalogue does not offer (kept, and shown as typed names). */
  List<String> unknown(List<String> names) {
    return names.stream().filter(n -> namesIn(prefix(n)).stream().noneMatch(n::equals)).toList();
  }
}
