package io.tsunagu.server.update.ddi;

import io.tsunagu.server.update.rollout.Feedback;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Maps a DDI feedback body onto the rollout model's device report, which has the same shape by design. */
final class DdiFeedbacks {
    private DdiFeedbacks() {}

    static Feedback toRollout(DdiActionFeedback feedback) {
        DdiStatus status = feedback.status();
        List<String> details = new ArrayList<>(status.details());
        status.statusCode().ifPresent(code -> details.add("Device reported status code: " + code));
        Optional<Feedback.Progress> progress = status.result().stepProgress().flatMap(p -> {
            if (p.total().isEmpty()) {
                details.add("progress " + p.cnt());
                return Optional.empty();
            }
            return Optional.of(new Feedback.Progress(p.cnt(), p.total().orElseThrow()));
        });
        // The rollout history keeps at most Feedback.MAX_DETAILS messages; suricatta flushes its log in batches of up
        // to 48, so keep the newest, which carry the outcome.
        List<String> kept = details.size() > Feedback.MAX_DETAILS
                ? details.subList(details.size() - Feedback.MAX_DETAILS, details.size())
                : details;
        return new Feedback(
                Feedback.Execution.valueOf(status.execution().name()),
                Feedback.Finished.valueOf(status.result().finished().name()),
                progress,
                kept);
    }
}
