package io.tsunagu.server.update.rollout;

import io.tsunagu.protocol.Vin;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every notification, in order. */
final class RecordingNotifier implements RolloutNotifier {
    record Notice(Vin vin, long actionId, ActionState state) {}

    final List<Notice> notices = new CopyOnWriteArrayList<>();

    @Override
    public void actionChanged(Vin vin, long actionId, ActionState state) {
        notices.add(new Notice(vin, actionId, state));
    }
}
