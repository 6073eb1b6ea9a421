package dev.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.store.ApiKeyStore.StoredKey;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class KeyCacheTest {
  final AtomicLong now = new AtomicLong(1_000_000);
  final InstantSource clock = () -> java.time.Instant.ofEpochMilli(now.get());
  final KeyCache cache = new KeyCache(clock);
  final AtomicInteger reads = new AtomicInteger();

  static StoredKey key(String id) {
    return new StoredKey(id, "org_1", null, "hash-" + id, null, null, null, null);
  }

  Supplier<Optional<StoredKey>> database(Optional<StoredKey> row) {
    return () -> {
      reads.incrementAndGet();
      return row;
    };
  }

  @Test
  void a_key_used_again_within_the_ttl_is_read_from_the_database_once() {
    var row = Optional.of(key("k1"));
    assertThat(cache.find("h1", database(row))).isEqualTo(row);
    now.addAndGet(KeyCache.TTL.toMillis() - 1);
    assertThat(cache.find("h1", database(row))).isEqualTo(row);
    assertThat(reads).hasValue(1);
  }

  @Test
  void a_key_is_read_again_once_the_ttl_has_passed() {
    cache.find("h1", database(Optional.of(key("k1"))));
    now.addAndGet(KeyCache.TTL.toMillis());
    assertThat(cache.find("h1", database(Optional.empty()))).isEmpty();
    assertThat(reads).hasValue(2);
  }

  @Test
  void an_unknown_token_is_looked_up_every_time() {
    cache.find("nope", database(Optional.empty()));
    cache.find("nope", database(Optional.empty()));
    assertThat(reads).hasValue(2);
  }

  @Test
  void after_a_change_every_key_is_read_again_at_once() {
    cache.find("h1", database(Optional.of(key("k1"))));
    cache.forgetAll();
    assertThat(cache.find("h1", database(Optional.empty()))).isEmpty();
    assertThat(reads).hasValue(2);
  }

  @Test
  void a_key_read_while_a_change_committed_is_not_kept() {
    Supplier<Optional<StoredKey>> readRacingARevocation =
        () -> {
          reads.incrementAndGet();
          Optional<StoredKey> before = Optional.of(key("k1"));
          cache.forgetAll();
          return before;
        };
    assertThat(cache.find("h1", readRacingARevocation)).isPresent();
    assertThat(cache.find("h1", database(Optional.empty()))).isEmpty();
    assertThat(reads).hasValue(2);
  }

  @Test
  void the_cache_starts_over_instead_of_growing_past_its_capacity() {
    for (int i = 0; i <= KeyCache.CAPACITY; i++) {
      cache.find("h" + i, database(Optional.of(key("k" + i))));
    }
    cache.find("h0", database(Optional.of(key("k0"))));
    cache.find("h" + KeyCache.CAPACITY, database(Optional.of(key("k"))));
    assertThat(reads).hasValue(KeyCache.CAPACITY + 2);
  }
}
