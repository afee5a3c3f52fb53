package io.tsunagu.protocol.update;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;

/** Fixed keys for golden files: RFC 8032 section 7.1 test 1 (Ed25519 signatures are deterministic). */
final class GoldenKeys {
    static final String RFC8032_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private static final String RFC8032_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    /** RFC 8410 PKCS#8 header for an Ed25519 private key. */
    private static final String PKCS8_HEADER = "302e020100300506032b657004220420";

    private GoldenKeys() {}

    static SigningKey rfc8032() {
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            var privateKey = factory.generatePrivate(
                    new PKCS8EncodedKeySpec(HexFormat.of().parseHex(PKCS8_HEADER + RFC8032_SEED)));
            var publicKey =
                    io.tsunagu.protocol.update.internal.KeyCodec.decode("ed25519", "ed25519", RFC8032_PUBLIC, "test");
            return SigningKey.of(new KeyPair(publicKey, privateKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
