package dev.herald.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionTest {

  @Test
  void an_endpoint_without_filters_takes_every_message() {
    assertThat(Subscription.matches(null, null, "user.created", null)).isTrue();
    assertThat(Subscription.matches(null, null, "invoice.paid", List.of("acme"))).isTrue();
    assertThat(Subscription.matches(List.of(), List.of(), "user.created", List.of())).isTrue();
  }

  @Test
  void an_event_type_filter_takes_only_the_listed_types() {
    List<String> types = List.of("user.created", "user.deleted");

    assertThat(Subscription.matches(types, null, "user.created", null)).isTrue();
    assertThat(Subscription.matches(types, null, "user.deleted", null)).isTrue();
    assertThat(Subscription.matches(types, null, "user.updated", null)).isFalse();
    assertThat(Subscription.matches(types, null, "user", null)).isFalse();
  }

  @Test
  void a_channel_filter_takes_a_message_sharing_at_least_one_channel() {
    List<String> endpointChannels = List.of("eu", "us");

    assertThat(Subscription.matches(null, endpointChannels, "x", List.of("us"))).isTrue();
    assertThat(Subscription.matches(null, endpointChannels, "x", List.of("apac", "eu"))).isTrue();
    assertThat(Subscription.matches(null, endpointChannels, "x", List.of("apac"))).isFalse();
  }

  @Test
  void a_message_without_channels_never_reaches_a_channel_filtered_endpoint() {
    assertThat(Subscription.matches(null, List.of("eu"), "x", null)).isFalse();
    assertThat(Subscription.matches(null, List.of("eu"), "x", List.of())).isFalse();
  }

  @Test
  void a_message_with_channels_reaches_an_endpoint_without_a_channel_filter() {
    assertThat(Subscription.matches(List.of("x"), null, "x", List.of("eu"))).isTrue();
  }

  @Test
  void both_filters_must_match() {
    List<String> types = List.of("invoice.paid");
    List<String> channels = List.of("eu");

    assertThat(Subscription.matches(types, channels, "invoice.paid", List.of("eu"))).isTrue();
    assertThat(Subscription.matches(types, channels, "invoice.paid", List.of("us"))).isFalse();
    assertThat(Subscription.matches(types, channels, "invoice.voided", List.of("eu"))).isFalse();
  }

  @Test
  void names_match_exactly_and_case_sensitively() {
    assertThat(Subscription.matches(List.of("User.Created"), null, "user.created", null)).isFalse();
    assertThat(Subscription.matches(null, List.of("EU"), "x", List.of("eu"))).isFalse();
  }
}
