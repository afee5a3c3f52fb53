package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.server.testing.HttpsCalls;
import io.tsunagu.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image larger than any Java array and than the test JVM's whole heap ({@code -Xmx2g}) goes in: only a streamed
 * path on both the client and the server can carry it. Generated on the fly, digested as it is sent. Plain HTTP by
 * default: the upload handler is the same on both listeners and TLS only adds crypto time (measured on the shared
 * 2-core machine: HTTP 15 s, HTTPS 15-45 s depending on load); {@code -Dtsunagu.test.big-artifact-https=true} runs
 * it over HTTPS.
 */
class ArtifactStreamingTest {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStreamingTest.class);
    /** 2^31 + 1 MiB: past Integer.MAX_VALUE and past -Xmx2g; override with -Dtsunagu.test.big-artifact-bytes. */
    static final long LENGTH = Long.getLong("tsunagu.test.big-artifact-bytes", (1L << 31) + (1 << 20));

    @TempDir
    Path dir;

    @Test
    void anImageLargerThanTheHeapIsStreamedInAndStoredUnderItsSha256() throws IOException {
        try (TestServer server = TestServer.start(dir)) {
            HttpsCalls admin = Boolean.getBoolean("tsunagu.test.big-artifact-https")
                    ? HttpsCalls.of(server, server.adminToken())
                    : HttpsCalls.plain(server, server.adminToken());
            GeneratedImage image = new GeneratedImage(LENGTH, 42);
            long start = System.nanoTime();

            HttpResponse<String> response = admin.send(
                    admin.request("/api/v1/artifacts?filename=big.img&version=9.0&hardwareId=ivi")
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.fromPublisher(
                                    HttpRequest.BodyPublishers.ofInputStream(() -> image), LENGTH)),
                    HttpResponse.BodyHandlers.ofString());

            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info(
                    "uploaded {} bytes to {} in {} s ({} MB/s)",
                    LENGTH,
                    admin.uri(""),
                    seconds,
                    LENGTH / seconds / 1e6);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            JsonNode artifact = new ObjectMapper().readTree(response.body());
            assertThat(artifact.path("lengthBytes").asLong()).isEqualTo(LENGTH);
            assertThat(artifact.path("sha256").asText()).isEqualTo(image.sha256());
            Path file = server.server()
                    .artifacts()
                    .find(io.tsunagu.server.update.Sha256.of(image.sha256()))
                    .map(a -> dir.resolve("artifacts")
                            .resolve(a.sha256().value().substring(0, 2))
                            .resolve(a.sha256().value()))
                    .orElseThrow();
            assertThat(Files.size(file)).isEqualTo(LENGTH);
            if (Boolean.getBoolean("tsunagu.test.big-artifact-download")) {
                assertThat(downloadSha256(admin, image.sha256())).isEqualTo(image.sha256());
            }
            Files.delete(file); // 2 GiB: do not wait for the temp dir cleanup
        }
    }

    /** Measurement only (not in the default run): streams the image back and digests it. */
    private static String downloadSha256(HttpsCalls client, String sha256) throws IOException {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(
                client.request("/api/v1/artifacts/" + sha256 + "/content"), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = response.body()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info(
                "downloaded {} bytes from {} in {} s ({} MB/s)",
                LENGTH,
                client.uri(""),
                seconds,
                LENGTH / seconds / 1e6);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Seeded pseudo-random bytes of a given length, made as they are read, and their SHA-256. Not thread-safe. */
    static final class GeneratedImage extends InputStream {
        private final byte[] block = new byte[1 << 20];
        private final MessageDigest digest;
        private final long length;
        private long position;
        private long blockIndex = -1;
        private String sha256 = "";

        GeneratedImage(long length, long seed) {
            this.length = length;
            new SplittableRandom(seed).nextBytes(block);
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        /** Each 1 MiB block is the seeded block with its index in the first 8 bytes, so no two blocks are equal. */
        @Override
        public int read(byte[] buffer, int offset, int count) {
            if (position >= length) {
                return -1;
            }
            long index = position / block.length;
            if (index != blockIndex) {
                blockIndex = index;
                for (int i = 0; i < 8; i++) {
                    block[i] = (byte) (index >>> (8 * i));
                }
            }
            int inBlock = (int) (position % block.length);
            int n = (int) Math.min(Math.min(count, block.length - inBlock), length - position);
            System.arraycopy(block, inBlock, buffer, offset, n);
            digest.update(buffer, offset, n);
            position += n;
            return n;
        }

        /** The digest of everything read; call once the whole image was read. */
        String sha256() {
            assertThat(position).isEqualTo(length);
            if (sha256.isEmpty()) {
                sha256 = HexFormat.of().formatHex(digest.digest());
            }
            return sha256;
        }
    }
}
