package io.tsunagu.server.update.rollout.internal;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.server.twin.Twin;
import io.tsunagu.server.twin.TwinStore;
import io.tsunagu.server.twin.TwinValue;
import io.tsunagu.server.update.rollout.Campaign;
import io.tsunagu.server.update.rollout.ParkedGate;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a pending action may be offered now: the campaign's maintenance window is open and, with a {@link
 * ParkedGate}, the car's twin shows it parked with enough charge. Reads the twin through its public API only.
 * Thread-safe.
 */
public final class Gates {
    private final TwinStore twins;

    public Gates(TwinStore twins) {
        this.twins = twins;
    }

    /** Whether the campaign's window (if any) is open at {@code now}. */
    public static boolean windowOpen(Campaign campaign, Instant now) {
        return campaign.window().map(w -> w.isOpen(now)).orElse(true);
    }

    /** True if an action of {@code campaign} may be offered to {@code vin} at {@code now}. */
    public boolean passes(Campaign campaign, Vin vin, Instant now) {
        if (!windowOpen(campaign, now)) {
            return false;
        }
        if (campaign.gate().isEmpty()) {
            return true;
        }
        Optional<Twin> twin = twins.get(vin);
        return twin.isPresent() && parked(twin.get(), campaign.gate().get());
    }

    private static boolean parked(Twin twin, ParkedGate gate) {
        Optional<Double> speed = number(twin, ParkedGate.SPEED);
        Optional<Double> soc = number(twin, ParkedGate.STATE_OF_CHARGE);
        Optional<SignalValue> charging =
                Optional.ofNullable(twin.reported().get(ParkedGate.IS_CHARGING)).map(TwinValue::value);
        return speed.filter(s -> s == 0.0).isPresent()
                && soc.filter(s -> s >= gate.minStateOfChargePct()).isPresent()
                && charging.filter(c -> c instanceof SignalValue.Bool b && !b.value())
                        .isPresent();
    }

    private static Optional<Double> number(Twin twin, String path) {
        TwinValue value = twin.reported().get(path);
        return value != null && value.value() instanceof SignalValue.Num n ? Optional.of(n.value()) : Optional.empty();
    }
}
