package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CappedBodyTest {

  private static ByteBuffer chunk(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void chunks_under_the_limit_are_kept_whole_and_in_order() {
    Sender.CappedBody body = new Sender.CappedBody(20);

    assertThat(body.take(chunk("hello "))).isTrue();
    assertThat(body.take(chunk("world"))).isTrue();

    assertThat(body.text()).isEqualTo("hello world");
  }

  @Test
  void a_body_of_exactly_the_limit_is_kept_and_ends_the_reading() {
    Sender.CappedBody body = new Sender.CappedBody(10);

    assertThat(body.take(chunk("01234"))).isTrue();
    assertThat(body.take(chunk("56789"))).isFalse();

    assertThat(body.text()).isEqualTo("0123456789");
  }

  @Test
  void a_chunk_crossing_the_limit_is_cut_at_it() {
    Sender.CappedBody body = new Sender.CappedBody(8);

    assertThat(body.take(chunk("abc"))).isTrue();
    assertThat(body.take(chunk("defghijkl"))).isFalse();

    assertThat(body.text()).isEqualTo("abcdefgh");
  }

  @Test
  void an_empty_body_is_empty_text() {
    Sender.CappedBody body = new Sender.CappedBody(8);

    assertThat(body.take(ByteBuffer.allocate(0))).isTrue();

    assertThat(body.text()).isEmpty();
  }
}
