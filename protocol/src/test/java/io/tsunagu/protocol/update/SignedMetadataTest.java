package io.tsunagu.protocol.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsunagu.protocol.update.internal.SignatureCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignedMetadataTest {
    private static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");

    /** Root v1 with every role on the RFC 8032 key: deterministic, so its bytes are fixed. */
    static SignedMetadata goldenRoot() {
        SigningKey key = GoldenKeys.rfc8032();
        Map<Role, List<TufKey>> keys = new EnumMap<>(Role.class);
        Map<Role, Integer> thresholds = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            keys.put(role, List.of(key.publicKey()));
            thresholds.put(role, 1);
        }
        return SignedMetadata.sign(RootMetadata.of(1, EXPIRES, keys, thresholds).toJson(), List.of(key));
    }

    /** Director targets v3 assigning one image to one ECU. */
    static SignedMetadata goldenDirectorTargets() {
        TargetInfo target = TargetInfo.director(
                "tcu-v2/firmware-2.4.1.bin",
                1048576,
                "0f343b0931126a20f133d67c2b018a3b5f2b4e1a7c6f4f2b1a3e4d5c6b7a8f90",
                Map.of("TCU-0001", "tcu-v2"));
        return SignedMetadata.sign(
                TargetsMetadata.of(3, EXPIRES, List.of(target)).toJson(), List.of(GoldenKeys.rfc8032()));
    }

    @Test
    void goldenRootFileIsStillWhatWeWriteAndStillVerifies() throws IOException {
        assertGolden("golden-root.json", goldenRoot());
        SignedMetadata parsed = SignedMetadata.parse(resource("golden-root.json"));
        RootMetadata root = RootMetadata.from(parsed);
        assertThat(root.version()).isEqualTo(1);
        assertThat(root.keysOf(Role.TIMESTAMP))
                .containsExactly(GoldenKeys.rfc8032().publicKey());
        SignatureCheck.require(parsed, root.keysOf(Role.ROOT), 1, "golden root", UpdateRefusalReason.THRESHOLD_NOT_MET);
        assertThat(RepositoryTrust.initial(resource("golden-root.json")).rootVersion())
                .isEqualTo(1);
    }

    @Test
    void goldenDirectorTargetsFileIsStillWhatWeWrite() throws IOException {
        assertGolden("golden-director-targets.json", goldenDirectorTargets());
        TargetsMetadata targets = TargetsMetadata.from(SignedMetadata.parse(resource("golden-director-targets.json")));
        TargetInfo target = targets.targets().get("tcu-v2/firmware-2.4.1.bin");
        assertThat(target.ecuIdentifiers()).containsExactly(Map.entry("TCU-0001", "tcu-v2"));
        assertThat(target.lengthBytes()).isEqualTo(1048576);
    }

    @Test
    void roundTripsEveryRoleThroughBytes() {
        UpdateScenario scenario = new UpdateScenario();
        scenario.release("a.bin", UpdateScenario.content("A"), "tcu-v2", 5);
        scenario.publishImage();
        RepositorySigner.Published published = scenario.image.current().orElseThrow();
        for (SignedMetadata file :
                List.of(scenario.image.root(), published.targets(), published.snapshot(), published.timestamp())) {
            SignedMetadata back = SignedMetadata.parse(file.toJsonBytes());
            assertThat(back).isEqualTo(file);
            assertThat(back.role()).isEqualTo(file.role());
        }
        TargetsMetadata targets = TargetsMetadata.from(published.targets());
        assertThat(targets.targets().get("a.bin").releaseCounter()).hasValue(5);
        assertThat(targets.targets().get("a.bin").hardwareIds()).containsExactly("tcu-v2");
        assertThat(TimestampMetadata.from(published.timestamp()).snapshot())
                .isEqualTo(MetaFile.describing(published.snapshot()));
    }

    @Test
    void toleratesUnknownFieldsAndCoversThemByTheSignature() {
        SigningKey key = SigningKey.ed25519();
        ObjectNode signed = new TargetsMetadata(1, EXPIRES, Map.of()).toJson();
        signed.put("x_future_field", "kept");
        signed.putObject("delegations").put("roles", 0);
        SignedMetadata file = SignedMetadata.sign(signed, List.of(key));

        SignedMetadata parsed = SignedMetadata.parse(file.toJsonBytes());
        assertThat(parsed.signed().get("x_future_field").textValue()).isEqualTo("kept");
        assertThat(TargetsMetadata.from(parsed).targets()).isEmpty();
        SignatureCheck.require(parsed, List.of(key.publicKey()), 1, "t", UpdateRefusalReason.THRESHOLD_NOT_MET);

        String tampered = new String(file.toJsonBytes(), StandardCharsets.UTF_8).replace("\"kept\"", "\"kEpt\"");
        SignedMetadata changed = SignedMetadata.parse(tampered.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> SignatureCheck.require(
                        changed, List.of(key.publicKey()), 1, "t", UpdateRefusalReason.THRESHOLD_NOT_MET))
                .isInstanceOfSatisfying(
                        UpdateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(UpdateRefusalReason.BAD_SIGNATURE));
    }

    @Test
    void verifiesSignaturesRegardlessOfWireFormatting() throws IOException {
        SigningKey key = SigningKey.ed25519();
        SignedMetadata file = SignedMetadata.sign(new TargetsMetadata(1, EXPIRES, Map.of()).toJson(), List.of(key));
        ObjectMapper mapper = new ObjectMapper();
        byte[] pretty = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(mapper.readTree(file.toJsonBytes()));
        assertThat(pretty).isNotEqualTo(file.toJsonBytes());
        SignedMetadata parsed = SignedMetadata.parse(pretty);
        SignatureCheck.require(parsed, List.of(key.publicKey()), 1, "t", UpdateRefusalReason.THRESHOLD_NOT_MET);
        assertThat(parsed).isEqualTo(file);
    }

    @Test
    void refusesFilesWithoutTheCommonFields() {
        assertThatThrownBy(
                        () -> SignedMetadata.parse(bytes("{\"signed\": {\"_type\": \"targets\"}, \"signatures\": []}")))
                .isInstanceOf(UpdateRefusedException.class)
                .hasMessageContaining("version");
        assertThatThrownBy(() -> SignedMetadata.parse(
                        bytes("{\"signed\": {\"_type\": \"mirrors\", \"version\": 1}, \"signatures\": []}")))
                .hasMessageContaining("mirrors");
        String wrongSpec =
                "{\"signed\": {\"_type\": \"targets\", \"version\": 1, \"expires\": \"2030-01-01T00:00:00Z\","
                        + " \"spec_version\": \"2.0.0\", \"targets\": {}}, \"signatures\": []}";
        assertThatThrownBy(() -> SignedMetadata.parse(bytes(wrongSpec))).hasMessageContaining("spec_version");
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SignedMetadataTest.class.getResourceAsStream(name)) {
            assertThat(in).as("fixture " + name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** On a difference, writes what we produce now under target/ for review; never rewrites the fixture itself. */
    private static void assertGolden(String name, SignedMetadata produced) throws IOException {
        byte[] actual = produced.toJsonBytes();
        byte[] expected;
        try (InputStream in = SignedMetadataTest.class.getResourceAsStream(name)) {
            expected = in == null ? new byte[0] : in.readAllBytes();
        }
        if (!java.util.Arrays.equals(actual, expected)) {
            Path out = Path.of("target", "golden-actual", name);
            Files.createDirectories(out.getParent());
            Files.write(out, actual);
        }
        assertThat(new String(actual, StandardCharsets.UTF_8))
                .as("format of %s changed; new bytes in target/golden-actual", name)
                .isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }
}
