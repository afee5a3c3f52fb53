package io.tsunagu.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tsunagu vehicles register|list|revoke} against a running server, over its REST API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VehiclesCommandTest {
    Path dir;

    TestServer server;

    @BeforeAll
    void start(@TempDir Path tmp) {
        dir = tmp;
        server = TestServer.start(dir.resolve("data"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void registerWritesCredentialsListShowsTheCarAndRevokeMarksIt() throws Exception {
        Vin vin = Vin.of("1HGCM82633A004352");
        Path out = dir.resolve("creds");

        Run register = run(
                "vehicles",
                "register",
                "--vin",
                vin.value(),
                "--model",
                "My EV",
                "--owner",
                "alice",
                "--tag",
                "pilot",
                "--out",
                out.toString());
        assertThat(register.code()).as(register.err()).isZero();
        assertThat(register.out()).contains("registered " + vin);
        assertThat(Files.readString(out.resolve(vin.value()).resolve("cert.pem")))
                .startsWith("-----BEGIN CERTIFICATE");
        assertThat(Files.getPosixFilePermissions(out.resolve(vin.value()).resolve("key.pem")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

        Run list = run("vehicles", "list");
        assertThat(list.out())
                .contains(vin.value())
                .contains("My EV")
                .contains("alice")
                .contains("active")
                .contains("1 vehicle(s)");

        Run revoke = run("vehicles", "revoke", vin.value());
        assertThat(revoke.code()).as(revoke.err()).isZero();
        assertThat(run("vehicles", "list").out()).contains("revoked");
    }

    @Test
    void invalidVinIsReportedWithTheServersReasonAndANonZeroExit() {
        Run register = run("vehicles", "register", "--vin", "1HGCM82633A004353", "--model", "X", "--owner", "bob");

        assertThat(register.code()).isEqualTo(1);
        assertThat(register.err()).contains("HTTP 400").contains("check digit");
    }

    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = "http://127.0.0.1:" + server.httpPort();
        all[args.length + 2] = "--token";
        all[args.length + 3] = server.adminToken();
        int code = cli.execute(all);
        return new Run(code, out.toString(), err.toString());
    }
}
