package io.tsunagu.protocol.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TufKeyTest {

    @Test
    void keyIdIsSha256OfTheCanonicalKeyObject() {
        TufKey key = GoldenKeys.rfc8032().publicKey();
        // Computed independently: sha256 of {"keytype":"ed25519","keyval":{"public":"d75a..."},"scheme":"ed25519"}.
        assertThat(key.keyId()).isEqualTo("74c181c7ad8a0855d4b55e44d2ba87aabdddb196832571f15f92fece332e4916");
        assertThat(new String(CanonicalJson.encode(key.toJson()), StandardCharsets.UTF_8))
                .isEqualTo("{\"keytype\":\"ed25519\",\"keyval\":{\"public\":\"" + GoldenKeys.RFC8032_PUBLIC
                        + "\"},\"scheme\":\"ed25519\"}");
    }

    @Test
    void verifiesTheRfc8032TestVectorSignature() {
        byte[] signature = HexFormat.of()
                .parseHex(
                        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        TufKey key = GoldenKeys.rfc8032().publicKey();
        assertThat(key.verifies(new byte[0], signature)).isTrue();
        assertThat(key.verifies(new byte[] {1}, signature)).isFalse();
        assertThat(key.verifies(new byte[0], new byte[3])).isFalse();
    }

    @Test
    void roundTripsEd25519AndP256KeysThroughJson() {
        for (SigningKey signing : new SigningKey[] {SigningKey.ed25519(), SigningKey.p256()}) {
            TufKey key = signing.publicKey();
            TufKey back = TufKey.fromJson(key.keyId(), key.toJson());
            assertThat(back).isEqualTo(key);
            byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
            assertThat(back.verifies(data, signing.sign(data).bytes())).isTrue();
        }
        assertThat(SigningKey.p256().publicKey().scheme()).isEqualTo("ecdsa-sha2-nistp256");
    }

    @Test
    void refusesAKeyListedUnderAnIdThatIsNotItsHash() {
        TufKey key = SigningKey.ed25519().publicKey();
        assertThatThrownBy(() -> TufKey.fromJson("00" + key.keyId().substring(2), key.toJson()))
                .isInstanceOfSatisfying(
                        UpdateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(UpdateRefusalReason.MALFORMED_METADATA))
                .hasMessageContaining("not its SHA-256 key id");
    }

    @Test
    void refusesUnsupportedSchemesAndBadKeyMaterial() {
        ObjectNode rsa = SigningKey.ed25519().publicKey().toJson().put("keytype", "rsa");
        assertThatThrownBy(() -> TufKey.fromJson("x", rsa)).hasMessageContaining("unsupported keytype");
        ObjectNode shortKey = SigningKey.ed25519().publicKey().toJson();
        ((ObjectNode) shortKey.get("keyval")).put("public", "abcd");
        assertThatThrownBy(() -> TufKey.fromJson("x", shortKey)).hasMessageContaining("32 bytes");
    }

    @Test
    void signingKeyNeverPrintsThePrivateKey() {
        SigningKey key = GoldenKeys.rfc8032();
        assertThat(key.toString()).contains(key.keyId()).doesNotContain("9d61b19d");
    }
}
