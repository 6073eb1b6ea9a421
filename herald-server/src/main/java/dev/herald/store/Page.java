package dev.herald.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** Svix's list shape: {@code {data, iterator, prevIterator, done}}. */
public record Page<T>(
    List<T> data,
    @JsonInclude(JsonInclude.Include.ALWAYS) String iterator,
    @JsonInclude(JsonInclude.Include.ALWAYS) String prevIterator,
    boolean done) {

  /**
   * Builds a page from rows read with {@link PageRequest#orderClause} (one row more than the limit,
   * which tells whether more exist).
   */
  public static <T> Page<T> of(List<T> rows, PageRequest request, Function<T, String> key) {
    boolean more = rows.size() > request.limit();
    List<T> items = new ArrayList<>(more ? rows.subList(0, request.limit()) : rows);
    if (request.backwards()) {
      Collections.reverse(items);
    }
    if (items.isEmpty()) {
      return new Page<>(List.of(), null, null, true);
    }
    String last = key.apply(items.get(items.size() - 1));
    String first = key.apply(items.get(0));
    boolean done = request.backwards() ? false : !more;
    return new Page<>(List.copyOf(items), last, "-" + first, done);
  }

  public <R> Page<R> map(Function<T, R> f) {
    return new Page<>(data.stream().map(f).toList(), iterator, prevIterator, done);
  }
}
