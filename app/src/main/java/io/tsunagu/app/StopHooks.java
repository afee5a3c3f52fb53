package io.tsunagu.app;

/** Shutdown-hook bookkeeping for commands that can also stop on their own (after {@code --duration}). */
final class StopHooks {
    private StopHooks() {}

    /** Removes the hook; false if the JVM is already shutting down (the hook then does the stopping). */
    static boolean remove(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }
}
