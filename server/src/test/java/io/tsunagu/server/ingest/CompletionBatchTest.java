package io.tsunagu.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CompletionBatchTest {
    @Test
    void tasksDeferredWhileABatchCompletesRunAfterItsLastFutureInOrder() {
        List<String> events = new ArrayList<>();
        List<CompletableFuture<Void>> futures = List.of(new CompletableFuture<>(), new CompletableFuture<>());
        for (int i = 0; i < futures.size(); i++) {
            int n = i;
            futures.get(i).thenRun(() -> {
                events.add("completed " + n);
                CompletionBatch.afterCompletions(() -> events.add("after " + n));
            });
        }

        CompletionBatch.completeAll(() -> futures.forEach(f -> f.complete(null)));

        assertThat(events).containsExactly("completed 0", "completed 1", "after 0", "after 1");
    }

    @Test
    void outsideABatchTheTaskRunsAtOnce() {
        List<String> events = new ArrayList<>();
        CompletionBatch.afterCompletions(() -> events.add("ran"));
        assertThat(events).containsExactly("ran");
    }

    @Test
    void aFailingTaskDoesNotKeepTheOthersFromRunningOrLeaveTheBatchOpen() {
        List<String> events = new ArrayList<>();
        CompletionBatch.completeAll(() -> {
            CompletionBatch.afterCompletions(() -> {
                throw new IllegalStateException("boom");
            });
            CompletionBatch.afterCompletions(() -> events.add("second"));
        });
        CompletionBatch.afterCompletions(() -> events.add("outside"));

        assertThat(events).containsExactly("second", "outside");
    }
}
