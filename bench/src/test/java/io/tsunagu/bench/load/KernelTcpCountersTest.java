package io.tsunagu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelTcpCountersTest {
    @Test
    void theTcpExtLinesPairNamesWithValuesAndOtherSectionsAreIgnored() {
        List<String> netstat = List.of(
                "TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops TCPReqQFullDoCookies",
                "TcpExt: 2147 15302 22908 22908 2782",
                "IpExt: InNoRoutes InTruncatedPkts",
                "IpExt: 0 0");

        assertThat(KernelTcpCounters.tcpExt(netstat))
                .containsEntry("ListenOverflows", 22_908L)
                .containsEntry("TCPReqQFullDoCookies", 2_782L)
                .doesNotContainKey("InNoRoutes");
    }

    @Test
    void aDeltaIsTheDifferenceOfBothCounters() {
        KernelTcpCounters delta = new KernelTcpCounters(130, 12).since(new KernelTcpCounters(100, 2));

        assertThat(delta).isEqualTo(new KernelTcpCounters(30, 10));
    }

    @Test
    void thisLinuxMachineReportsBothCounters() throws Exception {
        assertThat(KernelTcpCounters.tcpExt(Files.readAllLines(Path.of("/proc/net/netstat"))))
                .containsKeys("ListenOverflows", "TCPReqQFullDoCookies");
    }
}
