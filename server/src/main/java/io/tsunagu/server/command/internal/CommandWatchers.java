package io.tsunagu.server.command.internal;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.command.Command;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listeners to one car's command state changes (the live stream). In-process only. Thread-safe. */
public final class CommandWatchers {
    private static final Logger LOG = LoggerFactory.getLogger(CommandWatchers.class);
    private final Map<Vin, List<Consumer<Command>>> listeners = new ConcurrentHashMap<>();

    /** Adds a listener; the returned action removes it. */
    public Runnable add(Vin vin, Consumer<Command> listener) {
        listeners.computeIfAbsent(vin, v -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(vin, (v, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    public void notify(Command command) {
        for (Consumer<Command> listener : listeners.getOrDefault(command.vin(), List.of())) {
            try {
                listener.accept(command);
            } catch (RuntimeException e) {
                LOG.warn("command listener failed", e);
            }
        }
    }

    public void close() {
        listeners.clear();
    }
}
