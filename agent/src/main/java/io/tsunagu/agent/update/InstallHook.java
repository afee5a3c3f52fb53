package io.tsunagu.agent.update;

/** Called at each {@link InstallPoint} with the ECU concerned; for failure injection in tests. */
@FunctionalInterface
public interface InstallHook {
    /** No-op hook: the production default. */
    InstallHook NONE = (point, ecu) -> {};

    /** The install or boot sequence reached {@code point} for {@code ecu}; may block or halt the JVM. */
    void reached(InstallPoint point, EcuSerial ecu);
}
