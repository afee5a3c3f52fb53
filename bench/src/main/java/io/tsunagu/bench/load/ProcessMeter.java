package io.tsunagu.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and resident memory of one process, read from Linux's {@code /proc}. The CPU figure is user + system time
 * of all threads; {@code /proc/<pid>/stat} counts it in clock ticks of {@value #TICKS_PER_SECOND} Hz (USER_HZ, fixed at
 * 100 on Linux/x86-64 regardless of the kernel's internal tick rate).
 */
record ProcessMeter(long pid) {
    private static final long TICKS_PER_SECOND = 100;

    /** The generator itself. */
    static ProcessMeter self() {
        return new ProcessMeter(ProcessHandle.current().pid());
    }

    /** CPU time consumed so far, ns (10 ms resolution for other processes). */
    long cpuNanos() {
        if (pid == ProcessHandle.current().pid()
                && ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        String stat = read("stat");
        // Fields after the command name (which may hold spaces) start after the last ')': state is field 3.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime (14), stime (15)
        return ticks * 1_000_000_000L / TICKS_PER_SECOND;
    }

    /** Resident set size, bytes ({@code VmRSS}). */
    long rssBytes() {
        for (String line : read("status").split("\n")) {
            if (line.startsWith("VmRSS:")) {
                List<String> parts = List.of(line.substring(6).trim().split("\\s+"));
                return Long.parseLong(parts.getFirst()) * 1024; // reported in kB
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
    }

    private String read(String file) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/" + file + " (process gone?)", e);
        }
    }
}
