package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A lane's slow start and its wake-ups, without a dispatcher around it. */
class LaneTest {
  private static final int CONCURRENCY = 10;

  @Test
  void a_new_lane_probes_with_one_request_and_room_for_two() {
    Lane lane = new Lane("ep_1");

    assertThat(lane.concurrency(CONCURRENCY)).isEqualTo(1);
    assertThat(lane.capacity(CONCURRENCY)).isEqualTo(2);
    lane.reserved = 2;
    assertThat(lane.full(CONCURRENCY)).isTrue();
  }

  @Test
  void the_first_answer_opens_the_lane_and_wakes_the_claim_loop_only_when_work_was_refused() {
    Lane quiet = new Lane("ep_quiet");
    Lane refused = new Lane("ep_refused");
    refused.refused = true;

    assertThat(quiet.answered(false)).isFalse();
    assertThat(refused.answered(false)).isTrue();
    assertThat(refused.refused).isFalse();
    assertThat(refused.concurrency(CONCURRENCY)).isEqualTo(CONCURRENCY);
    assertThat(refused.capacity(CONCURRENCY)).isEqualTo(40);
  }

  @Test
  void a_timeout_closes_the_lane_to_one_probe_again_and_does_not_wake_anything() {
    Lane lane = new Lane("ep_1");
    lane.answered(false);
    lane.refused = true;

    assertThat(lane.answered(true)).isFalse();
    assertThat(lane.concurrency(CONCURRENCY)).isEqualTo(1);
    assertThat(lane.refused).isTrue();
  }

  @Test
  void a_finished_delivery_makes_room_for_refused_work_once() {
    Lane lane = new Lane("ep_1");
    lane.answered(false);
    lane.running = 40;
    lane.refused = true;
    assertThat(lane.roomForRefused(CONCURRENCY)).isFalse();

    lane.running = 39;

    assertThat(lane.roomForRefused(CONCURRENCY)).isTrue();
    assertThat(lane.roomForRefused(CONCURRENCY)).isFalse();
  }
}
