package dev.herald.error;

import java.util.List;

/** Request body or parameters break a rule; answered as 422 with one item per broken rule. */
public final class ValidationFailed extends HeraldException {

  /** One broken rule: {@code loc} is the path to the offending value, e.g. ["body", "url"]. */
  public record Item(List<String> loc, String msg, String type) {
    public Item {
      loc = List.copyOf(loc);
    }
  }

  private final List<Item> items;

  public ValidationFailed(List<Item> items) {
    super("validation", items.isEmpty() ? "validation failed" : items.get(0).msg());
    this.items = List.copyOf(items);
  }

  public static ValidationFailed of(String field, String msg, String type) {
    return new ValidationFailed(List.of(new Item(List.of("body", field), msg, type)));
  }

  public List<Item> items() {
    return items;
  }
}
