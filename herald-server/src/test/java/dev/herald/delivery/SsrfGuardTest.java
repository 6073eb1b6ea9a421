package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Literal addresses only: nothing here needs DNS ("localhost" comes from the hosts file). */
class SsrfGuardTest {
  private final SsrfGuard guard = new SsrfGuard(List.of(), Runnable::run);

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.255.255.254",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.255",
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "192.0.2.1",
        "198.51.100.1",
        "203.0.113.1",
        "198.18.0.1",
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "2001:db8::1",
        "64:ff9b::a01:203",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254"
      })
  void blocks_a_non_public_address(String literal) throws Exception {
    assertThat(guard.isPermitted(ip(literal))).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "8.8.8.8",
        "1.1.1.1",
        "2606:4700:4700::1111",
        "172.32.0.1",
        "100.128.0.1",
        "11.0.0.1",
        "::ffff:8.8.8.8"
      })
  void allows_a_public_address(String literal) throws Exception {
    assertThat(guard.isPermitted(ip(literal))).isTrue();
  }

  /**
   * Every IPv6 form that carries an IPv4 address is judged by that address (hardening #9 point
   * 12b): with a private one inside it is blocked, with a public one it is not. The address is
   * built from its sixteen bytes, so Java cannot unwrap it to IPv4 first.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "IPv4-compatible,             ::127.0.0.1,                         false",
    "IPv4-compatible,             ::10.0.0.1,                          false",
    "IPv4-compatible,             ::8.8.8.8,                           true",
    "IPv4-mapped,                 ::ffff:169.254.169.254,              false",
    "IPv4-mapped,                 ::ffff:8.8.8.8,                      true",
    "IPv4-translated,             ::ffff:0:127.0.0.1,                  false",
    "IPv4-translated,             ::ffff:0:192.168.1.1,                false",
    "IPv4-translated,             ::ffff:0:8.8.8.8,                    true",
    "NAT64 64:ff9b::/96,          64:ff9b::127.0.0.1,                  false",
    "NAT64 64:ff9b::/96,          64:ff9b::169.254.169.254,            false",
    "NAT64 64:ff9b::/96,          64:ff9b::8.8.8.8,                    true",
    "6to4 127.0.0.1,              2002:7f00:1::1,                      false",
    "6to4 10.1.2.3,               2002:a01:203:1::1,                   false",
    "6to4 8.8.8.8,                2002:808:808::1,                     true",
    "Teredo client 127.0.0.1,     2001:0:4136:e378:8000:63bf:80ff:fffe, false",
    "Teredo client 10.0.0.1,      2001:0:4136:e378:8000:63bf:f5ff:fffe, false",
    "Teredo server 10.0.0.1,      2001:0:a00:1:8000:63bf:f7f7:f7f7,     false",
    "Teredo both public,          2001:0:4136:e378:8000:63bf:f7f7:f7f7, true",
    "local-use NAT64 (any),       64:ff9b:1::127.0.0.1,                false",
    "local-use NAT64 (any),       64:ff9b:1::8.8.8.8,                  false",
  })
  void judges_an_ipv6_address_carrying_ipv4_by_the_ipv4_inside(
      String form, String literal, boolean permitted) throws Exception {
    InetAddress address = Inet6Address.getByAddress(null, v6Bytes(literal), -1);

    assertThat(guard.isPermitted(address)).as(form).isEqualTo(permitted);
  }

  @Test
  void an_allowed_ipv4_range_also_allows_that_range_inside_ipv6() throws Exception {
    SsrfGuard allowLoopback = new SsrfGuard(List.of("127.0.0.0/8"), Runnable::run);

    assertThat(
            allowLoopback.isPermitted(Inet6Address.getByAddress(null, v6Bytes("::127.0.0.1"), -1)))
        .isTrue();
    assertThat(
            allowLoopback.isPermitted(Inet6Address.getByAddress(null, v6Bytes("::10.0.0.1"), -1)))
        .isFalse();
  }

  /** Sixteen bytes of an IPv6 literal, also for ::ffff:a.b.c.d, which Java parses as IPv4. */
  private static byte[] v6Bytes(String literal) throws Exception {
    byte[] parsed = InetAddress.getByName(literal).getAddress();
    if (parsed.length == 16) {
      return parsed;
    }
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(parsed, 0, mapped, 12, 4);
    return mapped;
  }

  @Test
  void blocks_a_v4_mapped_address_kept_in_its_ipv6_form() throws Exception {
    // InetAddress.getByName unwraps ::ffff:a.b.c.d to IPv4; an Inet6Address built from the raw
    // sixteen bytes does not, and the guard must still judge the IPv4 address inside.
    byte[] loopback = new byte[16];
    loopback[10] = (byte) 0xff;
    loopback[11] = (byte) 0xff;
    loopback[12] = 127;
    loopback[15] = 1;
    InetAddress mapped = Inet6Address.getByAddress(null, loopback, -1);
    assertThat(mapped).isInstanceOf(Inet6Address.class);

    assertThat(guard.isPermitted(mapped)).isFalse();
  }

  @Test
  void an_allowed_cidr_permits_addresses_inside_it_and_no_others() throws Exception {
    SsrfGuard allowLoopback = new SsrfGuard(List.of("127.0.0.0/8"), Runnable::run);

    assertThat(allowLoopback.isPermitted(ip("127.0.0.1"))).isTrue();
    assertThat(allowLoopback.isPermitted(ip("127.10.20.30"))).isTrue();
    assertThat(allowLoopback.isPermitted(ip("10.0.0.1"))).isFalse();
    assertThat(allowLoopback.isPermitted(ip("::1"))).isFalse();
  }

  @Test
  void resolving_localhost_is_blocked_by_default() {
    assertThatThrownBy(() -> guard.resolve("localhost", 80))
        .isInstanceOf(SsrfGuard.BlockedAddressException.class)
        .hasMessageContaining("localhost")
        .hasMessageContaining("HERALD_SSRF_ALLOW");
  }

  @Test
  void resolving_localhost_succeeds_when_loopback_is_allowed() throws Exception {
    SsrfGuard allowLoopback = new SsrfGuard(List.of("127.0.0.0/8", "::1/128"), Runnable::run);

    List<InetSocketAddress> resolved = allowLoopback.resolve("localhost", 80);

    assertThat(resolved).isNotEmpty();
    assertThat(resolved)
        .allSatisfy(
            a -> {
              assertThat(a.getAddress().isLoopbackAddress()).isTrue();
              assertThat(a.getPort()).isEqualTo(80);
            });
  }

  @Test
  void a_bracketed_ipv6_host_is_judged_by_its_address() throws Exception {
    assertThatThrownBy(() -> guard.resolve("[::1]", 443))
        .isInstanceOf(SsrfGuard.BlockedAddressException.class)
        .hasMessageContaining("0:0:0:0:0:0:0:1");

    assertThat(new SsrfGuard(List.of("::1/128"), Runnable::run).resolve("[::1]", 443))
        .containsExactly(new InetSocketAddress(ip("::1"), 443));
  }

  @Test
  void a_public_literal_resolves_to_itself_with_the_port() throws Exception {
    assertThat(guard.resolve("8.8.8.8", 443))
        .containsExactly(new InetSocketAddress(ip("8.8.8.8"), 443));
  }

  @Test
  void the_asynchronous_resolve_fails_the_promise_with_the_blocked_exception() {
    var promise = new Promise.Completable<List<InetSocketAddress>>();

    guard.resolve("127.0.0.1", 8080, Map.of(), promise);

    assertThat(promise).isCompletedExceptionally();
    assertThatThrownBy(promise::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(SsrfGuard.BlockedAddressException.class);
  }

  @Test
  void the_asynchronous_resolve_completes_the_promise_for_a_public_address() throws Exception {
    var promise = new Promise.Completable<List<InetSocketAddress>>();

    guard.resolve("1.1.1.1", 443, Map.of(), promise);

    assertThat(promise.join()).containsExactly(new InetSocketAddress(ip("1.1.1.1"), 443));
  }
}
