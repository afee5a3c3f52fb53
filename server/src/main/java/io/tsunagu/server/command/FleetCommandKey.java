package io.tsunagu.server.command;

import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.command.CommandSigner;
import io.tsunagu.server.command.internal.KeyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's command signing key (Ed25519, key id {@value #KEY_ID}), created on first start under {@code
 * <data>/keys/}: {@value #PRIVATE_FILE} (PKCS#8 PEM, mode 0600) and {@value #PUBLIC_FILE} (X.509 PEM). Cars trust its
 * public key, which they receive with their credentials at registration.
 */
public final class FleetCommandKey {
    private static final Logger LOG = LoggerFactory.getLogger(FleetCommandKey.class);
    public static final String KEY_ID = "fleet-1";
    static final String PRIVATE_FILE = "fleet-command-ed25519.key";
    static final String PUBLIC_FILE = "fleet-command-ed25519.pub";

    /** The public half as the API shows it. */
    public record Info(String keyId, String algorithm, String publicKey) {}

    private final PublicKey publicKey;
    private final CommandSigner signer;

    private FleetCommandKey(KeyPair keys) {
        this.publicKey = keys.getPublic();
        this.signer = new CommandSigner(KEY_ID, keys.getPrivate());
    }

    /**
     * Loads the key from {@code keysDir}, creating it there on first start.
     *
     * @throws TsunaguException {@code command_key_unavailable} if only one file exists, they do not match, or they
     *     cannot be read or written
     */
    public static FleetCommandKey open(Path keysDir) {
        Path privateFile = keysDir.resolve(PRIVATE_FILE);
        Path publicFile = keysDir.resolve(PUBLIC_FILE);
        try {
            boolean hasPrivate = Files.exists(privateFile);
            if (hasPrivate != Files.exists(publicFile)) {
                throw unavailable("found " + (hasPrivate ? privateFile : publicFile) + " but not its other half;"
                        + " restore it, or remove both to create a new fleet key (every car must then learn it)");
            }
            return new FleetCommandKey(hasPrivate ? load(privateFile, publicFile) : create(privateFile, publicFile));
        } catch (IOException | GeneralSecurityException e) {
            throw unavailable("cannot open the fleet command key in " + keysDir + ": " + e.getMessage());
        }
    }

    private static KeyPair create(Path privateFile, Path publicFile) throws IOException {
        KeyPair keys = CommandKeys.ed25519();
        // Private half first: a crash in between leaves a lone private key, which open() reports.
        KeyFiles.writePem(privateFile, "PRIVATE KEY", keys.getPrivate().getEncoded(), true);
        KeyFiles.writePem(publicFile, "PUBLIC KEY", keys.getPublic().getEncoded(), false);
        LOG.info("Created fleet command key {} in {}", KEY_ID, privateFile.getParent());
        return keys;
    }

    private static KeyPair load(Path privateFile, Path publicFile) throws IOException, GeneralSecurityException {
        if (!KeyFiles.ownerOnly(privateFile)) {
            LOG.warn("Fleet command key {} is readable by other users; restrict it with chmod 600", privateFile);
        }
        KeyFactory factory = KeyFactory.getInstance(CommandKeys.ED25519);
        PrivateKey privateKey =
                factory.generatePrivate(new PKCS8EncodedKeySpec(KeyFiles.readPem(privateFile, "PRIVATE KEY")));
        PublicKey publicKey =
                factory.generatePublic(new X509EncodedKeySpec(KeyFiles.readPem(publicFile, "PUBLIC KEY")));
        if (!matches(privateKey, publicKey)) {
            throw unavailable(privateFile + " is not the private key of " + publicFile);
        }
        return new KeyPair(publicKey, privateKey);
    }

    private static boolean matches(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
        byte[] probe = "tsunagu-key-match".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(CommandKeys.ED25519);
        signer.initSign(privateKey);
        signer.update(probe);
        Signature verifier = Signature.getInstance(CommandKeys.ED25519);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        return verifier.verify(signer.sign());
    }

    private static TsunaguException unavailable(String message) {
        return new TsunaguException("command_key_unavailable", message, false);
    }

    public String keyId() {
        return KEY_ID;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** Signs with the private key, which never leaves this object. */
    public CommandSigner signer() {
        return signer;
    }

    /** Key id, {@code Ed25519}, and the public key as base64 X.509 ({@link CommandKeys#encode}). */
    public Info info() {
        return new Info(KEY_ID, CommandKeys.ED25519, CommandKeys.encode(publicKey));
    }
}
