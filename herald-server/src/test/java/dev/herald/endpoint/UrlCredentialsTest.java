package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlCredentialsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "http://user:p%40ss@host/x,            http://***@host/x",
    "https://token@host:8443,              https://***@host:8443",
    "http://user:p@ss@host/x,              http://***@host/x",
    "https://host/a@b,                     https://host/a@b",
    "https://host?to=a@b,                  https://host?to=a@b",
    "https://host#a@b,                     https://host#a@b",
    "https://host,                         https://host",
    "not a url @ all,                      not a url @ all",
  })
  void masks_everything_before_the_authoritys_last_at_sign(String url, String shown) {
    assertThat(UrlCredentials.masked(url)).isEqualTo(shown);
    assertThat(UrlCredentials.present(url)).isEqualTo(!url.equals(shown));
  }
}
