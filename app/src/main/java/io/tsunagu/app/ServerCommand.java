package io.tsunagu.app;

import io.tsunagu.bench.load.AotCache;
import io.tsunagu.server.TsunaguServer;
import io.tsunagu.server.fleet.CertificateAuthority;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tsunagu server}: the cloud alone, until interrupted. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Run the Tsunagu cloud (MQTT over mutual TLS, REST API).",
            "",
            "Cars connect with MQTT 5 or 3.1.1 over mutual TLS; people use the REST API. Embedded",
            "defaults (H2 metadata, QuestDB history, our own MQTT gateway) keep everything under --data. Stop with Ctrl-C."
        })
final class ServerCommand implements Runnable {
    @CommandLine.Mixin
    ServerOptions options = new ServerOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        TsunaguServer server = TsunaguServer.start(options.toConfig());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Tsunagu server running%n");
        out.printf("  REST API   http://localhost:%d/api/v1   (OpenAPI: /openapi.yaml)%n", server.httpPort());
        server.httpsPort()
                .ifPresent(port -> out.printf(
                        "  HTTPS API  https://localhost:%d/api/v1  (fleet CA: %s)%n",
                        port, options.dataDir.resolve("ca").resolve(CertificateAuthority.CERT_FILE)));
        out.printf("  MQTT/TLS   localhost:%d (client certificates required)%n", server.mqttPort());
        out.printf("  admin token in %s%n", options.dataDir.resolve("admin.token"));
        out.printf("  JVM        %s%n", AotCache.thisJvmStatus());
        out.flush();
        Foreground.hold("tsunagu-server", server::close, 0, Optional::empty, out);
    }
}
