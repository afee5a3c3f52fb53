package io.tsunagu.bench.load;

/** Wall time and the CPU time of the server and of the generator, from {@link #start} to {@link #stop}. */
final class MeasuredInterval {
    private final ProcessMeter server;
    private final ProcessMeter generator = ProcessMeter.self();
    private final long startNanos;
    private final long serverCpuStart;
    private final long generatorCpuStart;

    /** What one interval cost. */
    record Snapshot(double seconds, long serverCpuNanos, long generatorCpuNanos) {}

    private MeasuredInterval(ProcessMeter server) {
        this.server = server;
        this.serverCpuStart = server.cpuNanos();
        this.generatorCpuStart = generator.cpuNanos();
        this.startNanos = System.nanoTime();
    }

    static MeasuredInterval start(ProcessMeter server) {
        return new MeasuredInterval(server);
    }

    Snapshot stop() {
        long elapsed = System.nanoTime() - startNanos;
        return new Snapshot(
                elapsed / 1e9, server.cpuNanos() - serverCpuStart, generator.cpuNanos() - generatorCpuStart);
    }
}
