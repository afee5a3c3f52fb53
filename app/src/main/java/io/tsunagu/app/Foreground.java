package io.tsunagu.app;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a long-running command (server, demo, sim) in the foreground: it stops on Ctrl-C through a shutdown hook, or
 * by itself once {@code durationSeconds} have passed, and prints a status line every {@value #REPORT_EVERY_S} s.
 */
final class Foreground {
    static final long REPORT_EVERY_S = 10;

    private Foreground() {}

    /**
     * Blocks until stopped.
     *
     * @param stop releases everything the command started; runs exactly once
     * @param durationSeconds stop after this long; 0 = until the JVM is asked to exit
     * @param status the periodic status line, if any
     */
    static void hold(
            String name, Runnable stop, long durationSeconds, Supplier<Optional<String>> status, PrintWriter out) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stopOnce = () -> {
            synchronized (stopped) {
                if (stopped.getCount() > 0) {
                    stop.run();
                    stopped.countDown();
                }
            }
        };
        Thread hook = new Thread(stopOnce, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long deadline = durationSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds) : 0;
        try {
            while (!stopped.await(REPORT_EVERY_S, TimeUnit.SECONDS)) {
                status.get().ifPresent(line -> {
                    out.println(line);
                    out.flush();
                });
                if (deadline != 0 && System.nanoTime() > deadline) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (removeHook(hook)) {
            stopOnce.run();
        }
    }

    /** False if the JVM is already shutting down; the hook then does the stopping. */
    private static boolean removeHook(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }
}
