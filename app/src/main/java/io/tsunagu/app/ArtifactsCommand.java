package io.tsunagu.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.protocol.TsunaguException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsunagu artifacts upload|list}: OTA software images through the REST API. */
@Command(
        name = "artifacts",
        mixinStandardHelpOptions = true,
        description = "Upload and list OTA artifacts (software images) on a running Tsunagu server.",
        subcommands = {ArtifactsCommand.Upload.class, ArtifactsCommand.ListArtifacts.class})
final class ArtifactsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "upload",
            // No standard mixin: its -V/--version would clash with the image's --version.
            description = {
                "Upload an image; it is streamed, stored once under its SHA-256 and refused if it arrives altered.",
                "The file is read twice: once to compute its SHA-256 here, once to send it."
            })
    static final class Upload implements Runnable {
        @CommandLine.Mixin
        VehiclesCommand.Connection connection = new VehiclesCommand.Connection();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help message and exit.")
        boolean help;

        @Parameters(index = "0", description = "The image file.")
        Path file;

        @Option(names = "--version", required = true, description = "Software version the image carries.")
        String version;

        @Option(names = "--hardware-id", required = true, description = "Hardware (ECU) id the image fits, repeatable.")
        List<String> hardwareIds = new ArrayList<>();

        @Option(names = "--filename", description = "File name devices store it under (default: the file's name).")
        Optional<String> filename;

        @Option(names = "--release-notes", description = "Release notes (at most 4,000 characters).")
        Optional<String> releaseNotes;

        @Override
        public void run() {
            StringBuilder query = new StringBuilder("api/v1/artifacts?filename=")
                    .append(encode(filename.orElse(file.getFileName().toString())))
                    .append("&version=")
                    .append(encode(version))
                    .append("&sha256=")
                    .append(sha256(file));
            hardwareIds.forEach(id -> query.append("&hardwareId=").append(encode(id)));
            releaseNotes.ifPresent(notes -> query.append("&releaseNotes=").append(encode(notes)));
            JsonNode artifact = connection.client().postFile(query.toString(), file);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "stored %s %s %s (%d bytes)%n",
                    artifact.path("sha256").asText(),
                    artifact.path("filename").asText(),
                    artifact.path("version").asText(),
                    artifact.path("lengthBytes").asLong());
            out.flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Stored artifacts, newest first.")
    static final class ListArtifacts implements Runnable {
        @CommandLine.Mixin
        VehiclesCommand.Connection connection = new VehiclesCommand.Connection();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--hardware-id", description = "Only images that fit this hardware id.")
        Optional<String> hardwareId;

        @Override
        public void run() {
            String path = "api/v1/artifacts"
                    + hardwareId.map(id -> "?hardwareId=" + encode(id)).orElse("");
            JsonNode list = connection.client().get(path);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-64s  %-16s  %-24s  %12s  %s%n", "SHA256", "VERSION", "FILENAME", "BYTES", "HARDWARE");
            for (JsonNode a : list.path("items")) {
                List<String> hardware = new ArrayList<>();
                a.path("hardwareIds").forEach(id -> hardware.add(id.asText()));
                out.printf(
                        "%-64s  %-16s  %-24s  %12d  %s%n",
                        a.path("sha256").asText(),
                        a.path("version").asText(),
                        a.path("filename").asText(),
                        a.path("lengthBytes").asLong(),
                        String.join(",", hardware));
            }
            out.printf("%d artifact(s)%n", list.path("count").asInt());
            out.flush();
        }
    }

    /** Query-string encoding with {@code %20} for spaces (a {@code +} is not a space in RFC 3986). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new TsunaguException("file_not_found", "cannot read " + file + ": " + e.getMessage(), false, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
