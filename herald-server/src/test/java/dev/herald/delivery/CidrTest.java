package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  private static boolean contains(String cidr, String literal) throws Exception {
    return Cidr.parse(cidr).contains(InetAddress.getByName(literal));
  }

  @Test
  void a_byte_aligned_prefix_contains_exactly_its_range() throws Exception {
    assertThat(contains("10.0.0.0/8", "10.0.0.0")).isTrue();
    assertThat(contains("10.0.0.0/8", "10.255.255.255")).isTrue();
    assertThat(contains("10.0.0.0/8", "11.0.0.0")).isFalse();
    assertThat(contains("10.0.0.0/8", "9.255.255.255")).isFalse();
  }

  @Test
  void a_prefix_inside_a_byte_masks_only_the_leading_bits() throws Exception {
    assertThat(contains("172.16.0.0/12", "172.31.255.255")).isTrue();
    assertThat(contains("172.16.0.0/12", "172.32.0.0")).isFalse();
    assertThat(contains("172.16.0.0/12", "172.15.255.255")).isFalse();
    assertThat(contains("100.64.0.0/10", "100.127.0.1")).isTrue();
    assertThat(contains("100.64.0.0/10", "100.128.0.1")).isFalse();
  }

  @Test
  void an_ipv6_prefix_contains_exactly_its_range() throws Exception {
    assertThat(contains("fe80::/10", "febf:ffff::1")).isTrue();
    assertThat(contains("fe80::/10", "fec0::1")).isFalse();
    assertThat(contains("fc00::/7", "fdff::1")).isTrue();
    assertThat(contains("fc00::/7", "fe00::1")).isFalse();
  }

  @Test
  void an_address_without_a_prefix_is_a_single_host() throws Exception {
    assertThat(Cidr.parse("192.0.2.7").prefixLength()).isEqualTo(32);
    assertThat(Cidr.parse("::1").prefixLength()).isEqualTo(128);
    assertThat(contains("192.0.2.7", "192.0.2.7")).isTrue();
    assertThat(contains("192.0.2.7", "192.0.2.8")).isFalse();
  }

  @Test
  void a_zero_prefix_contains_every_address_of_its_family_only() throws Exception {
    assertThat(contains("0.0.0.0/0", "203.0.113.9")).isTrue();
    assertThat(contains("0.0.0.0/0", "2001:db8::1")).isFalse();
    assertThat(contains("::/0", "2001:db8::1")).isTrue();
    assertThat(contains("::/0", "203.0.113.9")).isFalse();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {"", "not-a-cidr", "hello world", "10.0.0.0 /8", "localhost/8", "[::1]/128"})
  void garbage_is_not_an_ip_address(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an IP address");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"10/8", "10.1/16", "127.1/32", "2130706433/32", "010.0.0.0/8"})
  void shorthand_ipv4_is_refused_rather_than_read_as_another_network(String text) {
    // InetAddress reads "10" as 0.0.0.10, so "10/8" would silently allow 0.0.0.0/8.
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an IP address");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"cafe", "dead.beef/16", "999.1.1.1/8", "1.2.3.256"})
  void a_host_name_or_out_of_range_octet_is_refused_without_a_dns_lookup(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an IP address");
  }

  @Test
  void the_full_ipv4_range_and_embedded_ipv4_in_ipv6_parse() throws Exception {
    assertThat(contains("255.255.255.255/32", "255.255.255.255")).isTrue();
    assertThat(contains("64:ff9b::10.0.0.0/104", "64:ff9b::a00:1")).isTrue();
    assertThat(contains("64:ff9b::10.0.0.0/104", "64:ff9b::b00:1")).isFalse();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"10.0.0.0/", "10.0.0.0/abc", "10.0.0.0/8/8", "10.0.0.0/8.0"})
  void a_prefix_that_is_not_a_number_is_refused(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the prefix length is not a number");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"10.0.0.0/33, 32", "10.0.0.0/-1, 32", "::1/129, 128", "fc00::/-7, 128"})
  void a_prefix_longer_than_the_address_is_refused(String text, int bits) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the prefix length must be 0.." + bits);
  }
}
