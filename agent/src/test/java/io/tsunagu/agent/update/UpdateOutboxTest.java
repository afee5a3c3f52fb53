package io.tsunagu.agent.update;

import static io.tsunagu.agent.update.AbUpdateSystemTest.CLOCK;
import static io.tsunagu.agent.update.AbUpdateSystemTest.MAIN;
import static io.tsunagu.agent.update.AbUpdateSystemTest.VIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.agent.AgentException;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateOutboxTest {
    @TempDir
    Path dir;

    private final byte[] image = TestImages.image("2.0.0", 20_000, false);
    private final InstallRequest request = TestImages.request("act-7", MAIN, "2.0.0", image);

    private AbUpdateConfig.Builder config() {
        return AbUpdateConfig.builder(VIN, dir).ecu(MAIN, "1.0.0").clock(CLOCK);
    }

    private void install(AbUpdateSystem ab) {
        ab.install(request, new ByteArrayInputStream(image), InstallProgress.NONE);
    }

    private static List<String> ids(List<UpdateStep> steps) {
        return steps.stream().map(UpdateStep::stepId).toList();
    }

    @Test
    void aConfiguredReporterGetsEveryStepInOrderAndTheOutboxEmpties() {
        List<UpdateStep> sent = new CopyOnWriteArrayList<>();
        UpdateReporter reporter = step -> {
            sent.add(step);
            return CompletableFuture.completedFuture(null);
        };
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().reporter(reporter).build())) {
            install(ab);
            assertThat(sent)
                    .extracting(UpdateStep::kind)
                    .containsExactly(StepKind.INSTALLING, StepKind.INSTALLED, StepKind.REBOOTING, StepKind.COMMITTED);
            assertThat(ab.outbox().pending()).isEmpty();
        }
    }

    @Test
    void stepsSurviveARestartUntilTheCloudHasThem() {
        List<String> before;
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            install(ab);
            before = ids(ab.outbox().pending());
        }
        List<UpdateStep> sent = new ArrayList<>();
        try (AbUpdateSystem restarted = AbUpdateSystem.boot(config().build())) {
            assertThat(ids(restarted.outbox().pending())).hasSize(4).isEqualTo(before);
            assertThat(restarted.outbox().flush(step -> {
                        sent.add(step);
                        return CompletableFuture.completedFuture(null);
                    }))
                    .isCompleted();
            assertThat(ids(sent)).isEqualTo(before);
        }
        try (AbUpdateSystem again = AbUpdateSystem.boot(config().build())) {
            assertThat(again.outbox().pending()).isEmpty();
        }
    }

    @Test
    void aFailedSendKeepsThatStepAndTheRestForTheNextFlush() {
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            install(ab);
            List<String> all = ids(ab.outbox().pending());
            List<String> sent = new ArrayList<>();
            CompletableFuture<Void> first = ab.outbox().flush(step -> {
                if (step.seq() == 2) {
                    return CompletableFuture.failedFuture(new IllegalStateException("connection lost"));
                }
                sent.add(step.stepId());
                return CompletableFuture.completedFuture(null);
            });
            assertThat(first).isCompletedExceptionally();
            assertThat(ids(ab.outbox().pending())).isEqualTo(all.subList(1, 4));

            ab.outbox().flush(step -> {
                sent.add(step.stepId());
                return CompletableFuture.completedFuture(null);
            });
            assertThat(sent).isEqualTo(all);
            assertThat(ab.outbox().pending()).isEmpty();
        }
    }

    @Test
    void aStepInFlightIsNotSentTwiceByOverlappingFlushes() {
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            install(ab);
            List<CompletableFuture<Void>> acks = new CopyOnWriteArrayList<>();
            List<Long> sent = new CopyOnWriteArrayList<>();
            UpdateReporter slow = step -> {
                sent.add(step.seq());
                CompletableFuture<Void> ack = new CompletableFuture<>();
                acks.add(ack);
                return ack;
            };
            ab.outbox().flush(slow);
            ab.outbox().flush(slow);
            for (int i = 0; i < 4; i++) {
                acks.get(i).complete(null);
            }
            assertThat(sent).containsExactly(1L, 2L, 3L, 4L);
            assertThat(ab.outbox().pending()).isEmpty();
        }
    }

    @Test
    void aStepWhoseAcknowledgementWasLostIsSentAgainWithTheSameId() {
        List<String> firstTry = new ArrayList<>();
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            install(ab);
            ab.outbox().flush(step -> {
                firstTry.add(step.stepId());
                return new CompletableFuture<>(); // the PUBACK never comes: the car restarts first
            });
        }
        try (AbUpdateSystem restarted = AbUpdateSystem.boot(config().build())) {
            assertThat(ids(restarted.outbox().pending())).startsWith(firstTry.getFirst());
        }
    }

    @Test
    void theUpdateClientRecordsDownloadingAndVerificationFailures() {
        try (AbUpdateSystem ab = AbUpdateSystem.boot(config().build())) {
            UpdateActionId action = UpdateActionId.of("act-9");
            UpdateStep downloading = ab.outbox().record(action, MAIN, StepKind.DOWNLOADING, "9.0", Optional.empty());
            UpdateStep failed = ab.outbox()
                    .record(action, MAIN, StepKind.FAILED, "9.0", Optional.of("verification_failed: bad signature"));
            assertThat(downloading.seq()).isLessThan(failed.seq());
            assertThat(ab.outbox().pending()).containsExactly(downloading, failed);
            assertThat(ab.outcome(action, MAIN))
                    .hasValueSatisfying(o -> assertThat(o.succeeded()).isFalse());
            assertThatThrownBy(() -> ab.outbox().record(action, MAIN, StepKind.COMMITTED, "9.0", Optional.empty()))
                    .isInstanceOf(AgentException.class);
            assertThat(ab.installed(MAIN).version()).isEqualTo("1.0.0");
        }
    }

    @Test
    void aClosedSystemRefusesWithARetriableError() {
        AbUpdateSystem ab = AbUpdateSystem.boot(config().build());
        ab.close();
        assertThatThrownBy(() -> ab.outbox().pending()).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo("update_store_closed");
            assertThat(e.retriable()).isTrue();
        });
    }
}
