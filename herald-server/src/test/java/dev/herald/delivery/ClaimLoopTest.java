package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClaimLoopTest {

  @Test
  void a_claim_of_all_due_work_is_wasteful_when_it_took_milliseconds_for_each_row_it_leased() {
    // 500 healthy rows in 2-40 ms: fine, however loaded the machine.
    assertThat(ClaimLoop.wasteful(40_000_000, 500)).isFalse();
    assertThat(ClaimLoop.wasteful(2_000_000, 500)).isFalse();
    // A short claim is never wasteful, even of one row: a lane that got room for one.
    assertThat(ClaimLoop.wasteful(15_000_000, 1)).isFalse();
    // Walking a 30,000-row backlog of full lanes to lease five rows (230-865 ms on PostgreSQL).
    assertThat(ClaimLoop.wasteful(230_000_000, 5)).isTrue();
    // Walking past it and leasing nothing.
    assertThat(ClaimLoop.wasteful(25_000_000, 0)).isTrue();
  }
}
