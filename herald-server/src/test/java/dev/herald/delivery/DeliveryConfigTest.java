package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.config.ConfigException;
import dev.herald.config.HeraldConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delivery settings as read through {@link HeraldConfig#fromEnvironment}, the path the server uses.
 */
class DeliveryConfigTest {

  private static DeliveryConfig delivery(String name, String value) {
    return HeraldConfig.fromEnvironment(Map.of(name, value)).delivery();
  }

  @Test
  void reads_the_retry_schedule_as_durations() {
    assertThat(delivery("HERALD_RETRY_SCHEDULE", "5s,5m,30m,2h,5h,10h,10h").retrySchedule())
        .containsExactly(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(10));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"5s,5m | PT1S", "250ms,1h | PT0.25S", "1s | PT1S", "none | PT1S"})
  void unreachable_endpoints_are_probed_a_second_apart_or_at_the_first_retry_delay_if_shorter(
      String schedule, String interval) {
    assertThat(delivery("HERALD_RETRY_SCHEDULE", schedule).probeInterval())
        .isEqualTo(Duration.parse(interval));
  }

  @Test
  void the_default_schedule_gives_eight_attempts() {
    DeliveryConfig defaults = HeraldConfig.fromEnvironment(Map.of()).delivery();

    assertThat(defaults.retrySchedule()).hasSize(7).startsWith(Duration.ofSeconds(5));
    assertThat(defaults.maxAttempts()).isEqualTo(8);
  }

  @Test
  void a_schedule_may_mix_units_and_spaces() {
    assertThat(delivery("HERALD_RETRY_SCHEDULE", "250ms, 1d ,90s").retrySchedule())
        .containsExactly(Duration.ofMillis(250), Duration.ofDays(1), Duration.ofSeconds(90));
  }

  @Test
  void a_schedule_of_none_means_a_single_attempt() {
    DeliveryConfig config = delivery("HERALD_RETRY_SCHEDULE", "none");

    assertThat(config.retrySchedule()).isEmpty();
    assertThat(config.maxAttempts()).isEqualTo(1);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"5s,five minutes", "5s,,5m", "5x", "-5s", "1.5h", "5S", "5s;5m", "5"})
  void a_bad_schedule_entry_fails_naming_the_setting(String schedule) {
    assertThatThrownBy(() -> delivery("HERALD_RETRY_SCHEDULE", schedule))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("HERALD_RETRY_SCHEDULE=");
  }

  @Test
  void a_schedule_of_more_than_fifty_entries_fails() {
    String fiftyOne = String.join(",", java.util.Collections.nCopies(51, "1s"));

    assertThat(delivery("HERALD_RETRY_SCHEDULE", fiftyOne.substring(3)).retrySchedule())
        .hasSize(50);
    assertThatThrownBy(() -> delivery("HERALD_RETRY_SCHEDULE", fiftyOne))
        .isInstanceOf(ConfigException.class)
        .hasMessage("HERALD_RETRY_SCHEDULE has 51 entries: allowed at most 50");
  }

  @Test
  void reads_ssrf_allow_as_a_list_of_cidrs() {
    assertThat(delivery("HERALD_SSRF_ALLOW", "127.0.0.0/8, ::1/128,").ssrfAllow())
        .containsExactly("127.0.0.0/8", "::1/128");
    assertThat(HeraldConfig.fromEnvironment(Map.of()).delivery().ssrfAllow()).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "not-a-cidr | not-a-cidr",
        "10.0.0.0/33 | 10.0.0.0/33",
        "127.0.0.0/8,::1/200 | ::1/200",
        "10/8 | 10/8",
      })
  void a_bad_ssrf_allow_entry_fails_naming_the_setting_and_the_entry(String value, String bad) {
    assertThatThrownBy(() -> delivery("HERALD_SSRF_ALLOW", value))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("HERALD_SSRF_ALLOW contains '" + bad + "'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"webhook, WEBHOOK", "svix, SVIX", "Both, BOTH"})
  void reads_the_signature_headers_choice(String value, DeliveryConfig.SignatureHeaders expected) {
    assertThat(delivery("HERALD_SIGNATURE_HEADERS", value).signatureHeaders()).isEqualTo(expected);
  }

  @Test
  void an_unknown_signature_headers_choice_fails_naming_the_setting_and_the_choices() {
    assertThatThrownBy(() -> delivery("HERALD_SIGNATURE_HEADERS", "foo"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("HERALD_SIGNATURE_HEADERS=foo is not allowed: use one of webhook, svix, both");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"abc", "15", "15 s", "99ms", "6m"})
  void a_bad_request_timeout_fails_naming_the_setting(String value) {
    assertThatThrownBy(() -> delivery("HERALD_REQUEST_TIMEOUT", value))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("HERALD_REQUEST_TIMEOUT=" + value + " is ");
  }

  @ParameterizedTest(name = "timeout {0}")
  @CsvSource({"100ms, PT5.2S", "15s, PT35S", "5m, PT10M5S"})
  void a_lease_always_outlives_the_request_timeout(String timeout, Duration expectedLease) {
    DeliveryConfig config = delivery("HERALD_REQUEST_TIMEOUT", timeout);

    assertThat(config.leaseDuration()).isGreaterThan(config.requestTimeout());
    assertThat(config.leaseDuration()).isEqualTo(expectedLease);
    assertThat(config.leaseExtendInterval()).isLessThan(config.leaseDuration());
  }
}
