package io.tsunagu.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.netty.handler.ssl.util.FingerprintTrustManagerFactory;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.CertificateAuthority;
import io.tsunagu.server.fleet.PemKeys;
import io.tsunagu.sim.VinGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers bench cars through the server's REST API ({@code POST /api/v1/vehicles}, admin token), a few requests in
 * parallel, and turns each answer's PEM credentials into the car's TLS settings. The server issues each certificate
 * (≈ 750 a second with BouncyCastle); the requests overlap so that the registry's commits do not serialize them.
 */
final class Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    private static final long VIN_SEED = 3_003;
    private static final int PARALLEL_REQUESTS = 16;
    private static final char[] STORE_PASSWORD = "bench".toCharArray();
    private static final byte[] SALT = "tsunagu-bench".getBytes(StandardCharsets.US_ASCII);

    private final ChildServer server;

    Provisioner(ChildServer server) {
        this.server = server;
    }

    /** Registers {@code count} new cars (deterministic VINs) and returns them in order. */
    List<CarIdentity> register(int count) {
        long started = System.nanoTime();
        List<Vin> vins = VinGenerator.generate(count, VIN_SEED);
        List<CarIdentity> cars = new ArrayList<>(count);
        X509Certificate serverCertificate = serverCertificate(server.caDirectory());
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_REQUESTS)) {
            List<Future<CarIdentity>> pending = new ArrayList<>(count);
            for (Vin vin : vins) {
                pending.add(pool.submit(() -> registerOne(vin, serverCertificate)));
            }
            for (Future<CarIdentity> car : pending) {
                cars.add(car.get());
            }
        } catch (Exception e) {
            throw new IllegalStateException("provisioning the bench cars failed: " + e.getMessage(), e);
        }
        LOG.info("Registered {} cars in {} ms", count, (System.nanoTime() - started) / 1_000_000);
        return cars;
    }

    private CarIdentity registerOne(Vin vin, X509Certificate serverCertificate) {
        String body = "{\"vin\":\"" + vin + "\",\"model\":\"bench\",\"owner\":\"bench\",\"tags\":[\"bench\"]}";
        JsonNode credentials = server.post("/api/v1/vehicles", body).path("credentials");
        MqttClientSslConfig ssl = sslConfig(
                credentials.path("certificatePem").asText(),
                credentials.path("privateKeyPem").asText(),
                credentials.path("caCertificatePem").asText(),
                serverCertificate);
        return new CarIdentity(vin, ssl);
    }

    /**
     * A car's TLS settings: its key and certificate (with the CA behind it, as before) and trust in exactly the server
     * certificate that Tsunagu and Mosquitto both present (pinned by its SHA-256 fingerprint: the generator's check of
     * the server costs a hash instead of a PKIX validation with a Java ECDSA verification, for both targets alike).
     * The in-memory key store protects the key with one PBKDF2 round: the default 10,000 rounds, twice per car, were
     * most of the generator's CPU while provisioning, and this store never leaves the process.
     */
    static MqttClientSslConfig sslConfig(String certPem, String keyPem, String caPem, X509Certificate server) {
        try {
            List<Certificate> chain = new ArrayList<>(PemKeys.certificates(certPem));
            chain.addAll(PemKeys.certificates(caPem));
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setEntry(
                    PemKeys.KEY_ALIAS,
                    new KeyStore.PrivateKeyEntry(PemKeys.privateKey(keyPem), chain.toArray(Certificate[]::new)),
                    new KeyStore.PasswordProtection(
                            STORE_PASSWORD, "PBEWithHmacSHA256AndAES_256", new PBEParameterSpec(SALT, 1)));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, STORE_PASSWORD);
            String fingerprint = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(server.getEncoded()));
            return MqttClientSslConfig.builder()
                    .keyManagerFactory(kmf)
                    .trustManagerFactory(FingerprintTrustManagerFactory.builder("SHA-256")
                            .fingerprints(fingerprint)
                            .build())
                    // The client's default (10 s) fails cars in a storm of thousands of handshakes on 2 cores.
                    .handshakeTimeout(60, TimeUnit.SECONDS)
                    .build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the TLS settings of a bench car", e);
        }
    }

    /** The server certificate both targets present (Mosquitto is given the same files). */
    static X509Certificate serverCertificate(Path caDirectory) {
        try {
            return PemKeys.certificate(Files.readString(caDirectory.resolve(CertificateAuthority.SERVER_CERT_FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the server certificate in " + caDirectory, e);
        }
    }
}
