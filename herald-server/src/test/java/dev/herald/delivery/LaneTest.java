package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A lane's slow start, its wake-ups and its share of the budget, without a dispatcher around it.
 */
class LaneTest {
  private static final int CONCURRENCY = 10;
  private final Budget budget = new Budget(1000, CONCURRENCY);

  private Lane lane(String endpointId) {
    return new Lane(endpointId, budget);
  }

  private static Lane holding(Lane lane, int n) {
    for (int i = 0; i < n; i++) {
      lane.reserve();
    }
    return lane;
  }

  private static DeliveryTask task(int i) {
    return new DeliveryTask(
        "dlv_" + i, "org_1", "app_1", "msg_" + i, "ep_1", 0, false, new byte[0], null, null, false);
  }

  @Test
  void a_new_lane_probes_with_one_request_and_room_for_two() {
    Lane lane = lane("ep_1");

    assertThat(lane.concurrency()).isEqualTo(1);
    assertThat(lane.capacity()).isEqualTo(2);
    holding(lane, 2);
    assertThat(lane.full()).isTrue();
  }

  @Test
  void
      reservations_not_yet_committed_do_not_fill_a_lane_for_accepting_but_count_among_themselves() {
    Lane lane = lane("ep_1");
    lane.answered(false, 0);
    holding(lane, 40);

    assertThat(lane.full()).as("a claim counts every reservation").isTrue();
    assertThat(lane.roomToAccept()).as("40 reservations: as many as the capacity").isFalse();
    lane.unreserve(1);
    assertThat(lane.roomToAccept()).isTrue();
    for (int i = 0; i < 39; i++) {
      lane.queueReserved(task(i));
    }
    lane.reserve();
    assertThat(lane.roomToAccept()).as("39 queued, one reserved").isTrue();
    lane.queueReserved(task(39));
    assertThat(lane.roomToAccept()).as("40 queued: the lane is full of work").isFalse();
    lane.start();
    assertThat(lane.roomToAccept()).as("39 queued, one running").isFalse();
    lane.finished();
    assertThat(lane.roomToAccept()).isTrue();
  }

  @Test
  void the_first_answer_opens_the_lane_and_wakes_the_claim_loop_only_when_work_was_refused() {
    Lane quiet = lane("ep_quiet");
    Lane refused = lane("ep_refused");
    refused.refused = true;

    assertThat(quiet.answered(false, 0)).isFalse();
    assertThat(refused.answered(false, 0)).isTrue();
    assertThat(refused.refused).isFalse();
    assertThat(refused.concurrency()).isEqualTo(CONCURRENCY);
    assertThat(refused.capacity()).isEqualTo(40);
  }

  @Test
  void a_timeout_closes_the_lane_to_one_probe_again_and_does_not_wake_anything() {
    Lane lane = lane("ep_1");
    lane.answered(false, 0);
    lane.refused = true;

    assertThat(lane.answered(true, 0)).isFalse();
    assertThat(lane.concurrency()).isEqualTo(1);
    assertThat(lane.refused).isTrue();
  }

  @Test
  void after_an_unreachable_answer_the_next_probe_waits_and_an_answer_ends_the_wait() {
    Lane lane = lane("ep_1");
    assertThat(lane.probeWaitNanos(1_000)).as("a new lane's first request").isZero();

    lane.answered(true, 5_000);

    assertThat(lane.probeWaitNanos(1_000)).isEqualTo(4_000);
    assertThat(lane.probeWaitNanos(5_000)).isZero();
    lane.answered(false, 9_000);
    assertThat(lane.probeWaitNanos(1_000)).isZero();
  }

  @Test
  void a_finished_delivery_makes_room_for_refused_work_once() {
    Lane lane = lane("ep_1");
    lane.answered(false, 0);
    holding(lane, 40);
    lane.refused = true;
    assertThat(lane.roomForRefused()).isFalse();

    lane.unreserve(1);

    assertThat(lane.roomForRefused()).isTrue();
    assertThat(lane.roomForRefused()).isFalse();
  }

  @Test
  void a_lane_is_busy_from_its_first_reservation_until_it_holds_nothing() {
    Lane lane = lane("ep_1");
    lane.answered(false, 0);

    lane.reserve();
    lane.reserve();
    assertThat(budget.busyLanes()).isEqualTo(1);
    lane.queueReserved(task(1));
    lane.queueReserved(task(2));
    DeliveryTask first = lane.start();
    assertThat(first.deliveryId()).isEqualTo("dlv_1");
    lane.finished();
    assertThat(budget.busyLanes()).isEqualTo(1);
    lane.dropQueued();

    assertThat(budget.busyLanes()).isZero();
    lane.reserve();
    lane.unreserve(1);
    assertThat(budget.busyLanes()).isZero();
  }

  @Test
  void busy_lanes_share_the_budget_so_a_hundred_of_them_cannot_hold_all_of_it() {
    Lane alone = lane("ep_alone");
    alone.answered(false, 0);
    holding(alone, 1);
    assertThat(alone.concurrency()).as("one busy lane keeps its full concurrency").isEqualTo(10);
    assertThat(alone.capacity()).isEqualTo(40);

    for (int i = 0; i < 99; i++) {
      Lane other = lane("ep_" + i);
      other.answered(false, 0);
      holding(other, 1);
    }

    assertThat(budget.busyLanes()).isEqualTo(100);
    assertThat(budget.share()).isEqualTo(9);
    assertThat(alone.concurrency()).isEqualTo(9);
    assertThat(alone.capacity()).isEqualTo(9);
    assertThat(100 * alone.capacity()).isLessThan(budget.maxInFlight);
  }

  @Test
  void the_share_is_never_below_one() {
    Budget small = new Budget(4, CONCURRENCY);
    for (int i = 0; i < 10; i++) {
      new Lane("ep_" + i, small).reserve();
    }

    assertThat(small.share()).isEqualTo(1);
  }
}
