package io.tsunagu.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.PemKeys;
import io.tsunagu.sim.VinGenerator;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers bench cars through the server's REST API ({@code POST /api/v1/vehicles}, admin token), a few requests in
 * parallel, and turns each answer's PEM credentials into the car's TLS settings. The server issues each certificate
 * (≈ 750 a second with BouncyCastle), so thousands of cars take seconds.
 */
final class Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    private static final long VIN_SEED = 3_003;
    private static final int PARALLEL_REQUESTS = 4;
    private static final char[] STORE_PASSWORD = "bench".toCharArray();

    private final ChildServer server;

    Provisioner(ChildServer server) {
        this.server = server;
    }

    /** Registers {@code count} new cars (deterministic VINs) and returns them in order. */
    List<CarIdentity> register(int count) {
        long started = System.nanoTime();
        List<Vin> vins = VinGenerator.generate(count, VIN_SEED);
        List<CarIdentity> cars = new ArrayList<>(count);
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_REQUESTS)) {
            List<Future<CarIdentity>> pending = new ArrayList<>(count);
            for (Vin vin : vins) {
                pending.add(pool.submit(() -> registerOne(vin)));
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

    private CarIdentity registerOne(Vin vin) {
        String body = "{\"vin\":\"" + vin + "\",\"model\":\"bench\",\"owner\":\"bench\",\"tags\":[\"bench\"]}";
        JsonNode credentials = server.post("/api/v1/vehicles", body).path("credentials");
        MqttClientSslConfig ssl = sslConfig(
                credentials.path("certificatePem").asText(),
                credentials.path("privateKeyPem").asText(),
                credentials.path("caCertificatePem").asText());
        return new CarIdentity(vin, ssl);
    }

    static MqttClientSslConfig sslConfig(String certPem, String keyPem, String caPem) {
        try {
            KeyStore keyStore = PemKeys.keyStore(certPem, keyPem, caPem, STORE_PASSWORD);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, STORE_PASSWORD);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(PemKeys.trustStore(caPem));
            return MqttClientSslConfig.builder()
                    .keyManagerFactory(kmf)
                    .trustManagerFactory(tmf)
                    // The client's default (10 s) fails cars in a storm of thousands of handshakes on 2 cores.
                    .handshakeTimeout(60, TimeUnit.SECONDS)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS settings of a bench car", e);
        }
    }
}
