package io.tsunagu.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.server.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tsunagu artifacts upload|list} against a running server, over its REST API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactsCommandTest {
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
    void uploadStoresTheFileUnderItsSha256AndListShowsIt() throws Exception {
        byte[] image = new byte[200_000];
        new SplittableRandom(5).nextBytes(image);
        Path file = Files.write(dir.resolve("tcu 1.2.bin"), image);
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));

        Run upload = run(
                "artifacts",
                "upload",
                file.toString(),
                "--filename",
                "tcu-1.2.bin",
                "--version",
                "1.2.0",
                "--hardware-id",
                "tcu-a",
                "--hardware-id",
                "tcu-b",
                "--release-notes",
                "Fixes deep sleep & wake-up");
        assertThat(upload.code()).as(upload.err()).isZero();
        assertThat(upload.out()).contains("stored " + sha256 + " tcu-1.2.bin 1.2.0 (200000 bytes)");
        assertThat(server.server().artifacts().list(java.util.Optional.of("tcu-b"), 10))
                .singleElement()
                .satisfies(a -> assertThat(a.releaseNotes()).isEqualTo("Fixes deep sleep & wake-up"));

        Run list = run("artifacts", "list", "--hardware-id", "tcu-a");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out())
                .contains(sha256)
                .contains("1.2.0")
                .contains("tcu-a,tcu-b")
                .contains("1 artifact(s)");
    }

    @Test
    void aRefusedUploadIsReportedWithTheServersReasonAndANonZeroExit() throws Exception {
        Path file = Files.write(dir.resolve("empty.bin"), new byte[0]);

        Run upload = run("artifacts", "upload", file.toString(), "--version", "1.0", "--hardware-id", "x");

        assertThat(upload.code()).isEqualTo(1);
        assertThat(upload.err()).contains("HTTP 400").contains("empty");
    }

    @Test
    void uploadHelpPrintsItsUsageAlthoughTheImageHasAVersionOption() {
        Run help = run("artifacts", "upload", "--help");

        assertThat(help.code()).as(help.err()).isZero();
        assertThat(help.err()).doesNotContain("Missing required");
        assertThat(help.out()).contains("Usage: tsunagu artifacts upload").contains("--hardware-id");
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
