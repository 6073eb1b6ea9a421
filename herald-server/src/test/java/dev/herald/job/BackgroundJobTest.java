package dev.herald.job;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.error.Unavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The helper every background loop runs on. Nothing here waits for time to pass: the interval is an
 * hour, so a second run can only come from what the test is about (a wake-up, a failure, a run
 * asking for more), and each wait is a latch with a generous timeout.
 */
class BackgroundJobTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final long TIMEOUT_SECONDS = 20;

  private final Counter errors =
      new SimpleMeterRegistry().counter("herald.background.errors", "job", "test");
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(BackgroundJob.class);
  private BackgroundJob job;

  @BeforeEach
  void captureLog() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void stop() {
    if (job != null) {
      job.close();
    }
    logger.detachAppender(logged);
  }

  @Test
  void run_once_steps_a_job_that_was_never_started() {
    AtomicInteger runs = new AtomicInteger();
    job =
        new BackgroundJob(
            "test",
            BackgroundJob.Schedule.every(HOUR),
            errors,
            () -> {
              runs.incrementAndGet();
              return false;
            });

    job.runOnce();
    job.runOnce();

    assertThat(runs).hasValue(2);
    assertThat(errors.count()).isZero();
  }

  @Test
  void a_run_that_throws_is_logged_with_its_stack_trace_and_counted_and_the_next_run_happens() {
    AtomicInteger runs = new AtomicInteger();
    job =
        new BackgroundJob(
            "test",
            BackgroundJob.Schedule.every(HOUR),
            errors,
            () -> {
              if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("broken on purpose");
              }
              return false;
            });

    job.runOnce();
    job.runOnce();

    assertThat(runs).hasValue(2);
    assertThat(errors.count()).isEqualTo(1);
    ILoggingEvent event = onlyEvent();
    assertThat(event.getFormattedMessage()).isEqualTo("test failed; will keep running");
    assertThat(event.getThrowableProxy()).isNotNull();
    assertThat(event.getThrowableProxy().getMessage()).isEqualTo("broken on purpose");
  }

  @Test
  void an_unavailable_database_is_counted_and_warned_in_one_line_without_a_stack_trace() {
    job =
        new BackgroundJob(
            "test",
            BackgroundJob.Schedule.every(HOUR),
            errors,
            () -> {
              throw new Unavailable("database_unavailable", "connection refused");
            });

    job.runOnce();

    assertThat(errors.count()).isEqualTo(1);
    ILoggingEvent event = onlyEvent();
    assertThat(event.getLevel().toString()).isEqualTo("WARN");
    assertThat(event.getFormattedMessage())
        .contains("test: the database is unavailable (connection refused)")
        .contains("will keep running")
        .contains("next try in 200 ms");
    assertThat(event.getThrowableProxy()).isNull();
  }

  @Test
  void
      the_backoff_for_an_unavailable_database_doubles_up_to_five_seconds_and_resets_after_a_success() {
    AtomicInteger runs = new AtomicInteger();
    job =
        new BackgroundJob(
            "test",
            BackgroundJob.Schedule.every(HOUR),
            errors,
            () -> {
              if (runs.incrementAndGet() != 8) {
                throw new Unavailable("database_unavailable", "down");
              }
              return false;
            });

    for (int i = 0; i < 9; i++) {
      job.runOnce();
    }

    assertThat(logged.list)
        .extracting(e -> e.getFormattedMessage().replaceAll(".* in ", ""))
        .containsExactly(
            "200 ms", "400 ms", "800 ms", "1600 ms", "3200 ms", "5000 ms", "5000 ms", "200 ms");
  }

  @Test
  void a_started_job_keeps_running_after_a_run_throws() throws Exception {
    CountDownLatch secondRun = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    BackgroundJob.Schedule retryAtOnce =
        BackgroundJob.Schedule.every(HOUR).afterFailure(Duration.ZERO);
    job =
        new BackgroundJob(
            "test",
            retryAtOnce,
            errors,
            () -> {
              if (runs.incrementAndGet() == 1) {
                throw new AssertionError("even an Error does not end the loop");
              }
              secondRun.countDown();
              return false;
            });

    job.start();

    assertThat(secondRun.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(errors.count()).isEqualTo(1);
  }

  @Test
  void wake_runs_the_job_now_instead_of_after_the_interval() throws Exception {
    CountDownLatch firstRun = new CountDownLatch(1);
    CountDownLatch secondRun = new CountDownLatch(2);
    job =
        new BackgroundJob(
            "test",
            BackgroundJob.Schedule.every(HOUR),
            errors,
            () -> {
              firstRun.countDown();
              secondRun.countDown();
              return false;
            });
    job.start();
    assertThat(firstRun.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();

    job.wake();

    assertThat(secondRun.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void a_wake_up_during_a_run_is_kept_for_the_next_one() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch secondRun = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    job =
        new BackgroundJob(
            "test",
            BackgroundJob.Schedule.every(HOUR),
            errors,
            () -> {
              if (runs.incrementAndGet() == 1) {
                running.countDown();
                release.await();
              } else {
                secondRun.countDown();
              }
              return false;
            });
    job.start();
    assertThat(running.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();

    job.wake();
    release.countDown();

    assertThat(secondRun.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void a_run_that_finds_more_work_is_followed_at_once_by_another() throws Exception {
    CountDownLatch threeRuns = new CountDownLatch(3);
    job =
        new BackgroundJob(
            "test",
            BackgroundJob.Schedule.every(HOUR),
            errors,
            () -> {
              threeRuns.countDown();
              return threeRuns.getCount() > 0;
            });

    job.start();

    assertThat(threeRuns.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void the_first_run_can_wait_one_interval() {
    AtomicInteger runs = new AtomicInteger();
    BackgroundJob.Schedule delayed = BackgroundJob.Schedule.every(HOUR).firstRunAfterInterval();
    job =
        new BackgroundJob(
            "test",
            delayed,
            errors,
            () -> {
              runs.incrementAndGet();
              return false;
            });

    job.start();
    job.close();

    assertThat(runs).as("closed before its first interval passed").hasValue(0);
    assertThat(threadAlive()).isFalse();
  }

  @Test
  void close_ends_the_thread_after_the_run_in_progress_and_no_run_starts_after_it()
      throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    job =
        new BackgroundJob(
            "test",
            BackgroundJob.Schedule.every(Duration.ZERO),
            errors,
            () -> {
              runs.incrementAndGet();
              running.countDown();
              release.await();
              return true;
            });
    job.start();
    assertThat(running.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();

    Thread closing = Thread.ofPlatform().start(job::close);
    release.countDown();
    closing.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));

    assertThat(closing.isAlive()).isFalse();
    assertThat(threadAlive()).isFalse();
    int runsWhenClosed = runs.get();
    job.wake();
    assertThat(runs).as("no run starts after close").hasValue(runsWhenClosed);
  }

  private ILoggingEvent onlyEvent() {
    List<ILoggingEvent> events = logged.list;
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private static boolean threadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("herald-test") && t.isAlive());
  }
}
