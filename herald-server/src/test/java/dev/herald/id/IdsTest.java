package dev.herald.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {

  /**
   * EndpointApiTest's "oldest first" listing failed now and then: a burst shared one millisecond.
   */
  @Test
  void ids_made_in_the_same_millisecond_sort_in_the_order_they_were_made() {
    Ids ids = new Ids(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      made.add(ids.next(IdPrefix.ENDPOINT));
    }

    assertThat(made).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void ids_of_a_later_millisecond_sort_after_every_earlier_one_and_above_its_lower_bound() {
    long millis = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    String earlier =
        new Ids(InstantSource.fixed(Instant.ofEpochMilli(millis))).next(IdPrefix.MESSAGE);
    String later =
        new Ids(InstantSource.fixed(Instant.ofEpochMilli(millis + 1))).next(IdPrefix.MESSAGE);

    assertThat(earlier).isLessThan(Ids.lowerBound(IdPrefix.MESSAGE, millis + 1));
    assertThat(Ids.lowerBound(IdPrefix.MESSAGE, millis + 1)).isLessThanOrEqualTo(later);
  }
}
