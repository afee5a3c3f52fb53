package io.tsunagu.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's TCP listen-queue counters ({@code /proc/net/netstat}, machine-wide): connections dropped because a
 * listener's accept queue was full ({@code ListenOverflows}) and SYNs answered with cookies because its SYN queue was
 * ({@code TCPReqQFullDoCookies}). A storm that overflows a target's queue measures the kernel's SYN retries, not the
 * target's handshakes; {@code connect-storm} prints the deltas per target. All zero where the file is missing.
 */
record KernelTcpCounters(long listenOverflows, long synCookies) {
    private static final Path NETSTAT = Path.of("/proc/net/netstat");

    static KernelTcpCounters now() {
        try {
            Map<String, Long> tcpExt = tcpExt(Files.readAllLines(NETSTAT));
            return new KernelTcpCounters(
                    tcpExt.getOrDefault("ListenOverflows", 0L), tcpExt.getOrDefault("TCPReqQFullDoCookies", 0L));
        } catch (IOException | RuntimeException e) {
            return new KernelTcpCounters(0, 0);
        }
    }

    KernelTcpCounters since(KernelTcpCounters before) {
        return new KernelTcpCounters(listenOverflows - before.listenOverflows, synCookies - before.synCookies);
    }

    /** The "TcpExt:" header line's names paired with the next "TcpExt:" line's values. */
    static Map<String, Long> tcpExt(List<String> lines) {
        Map<String, Long> values = new HashMap<>();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
                String[] names = lines.get(i).split("\\s+");
                String[] numbers = lines.get(i + 1).split("\\s+");
                for (int k = 1; k < Math.min(names.length, numbers.length); k++) {
                    values.put(names[k], Long.parseLong(numbers[k]));
                }
                return values;
            }
        }
        return values;
    }
}
