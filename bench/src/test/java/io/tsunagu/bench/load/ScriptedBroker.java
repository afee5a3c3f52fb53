package io.tsunagu.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.tsunagu.server.fleet.CertificateAuthority;
import io.tsunagu.server.fleet.PemKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A broker for tests on Netty's MQTT codec over mutual TLS (the fleet CA's server certificate, client certificates
 * required), that answers CONNECT with a CONNACK of a chosen Receive Maximum and then PUBLISHes as scripted: a PUBACK
 * with a chosen reason code, no answer at all, or closing the connection. It records what the clients sent.
 */
final class ScriptedBroker implements AutoCloseable {
    /** What the broker does with a PUBLISH. */
    enum Answer {
        /** PUBACK with the given reason code. */
        PUBACK,
        /** Nothing: the publish stays unanswered. */
        SILENT,
        /** Closes the connection. */
        CLOSE
    }

    /** The parts of a CONNECT that the gateway looks at, as a comparable value. */
    record Connect(
            String clientId, int version, boolean cleanStart, int keepAliveS, boolean hasUserName, String properties) {}

    /** The parts of a PUBLISH that the gateway looks at. */
    record Publish(String topic, int qos, String properties, int payloadBytes) {}

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;
    private final int receiveMaximum;
    private final Answer answer;
    private final int reasonCode;
    final Queue<Connect> connects = new ConcurrentLinkedQueue<>();
    final Queue<Publish> publishes = new ConcurrentLinkedQueue<>();
    final AtomicInteger published = new AtomicInteger();

    ScriptedBroker(Path caDirectory, int receiveMaximum, Answer answer, int reasonCode) throws IOException {
        this.receiveMaximum = receiveMaximum;
        this.answer = answer;
        this.reasonCode = reasonCode;
        SslContext ssl = SslContextBuilder.forServer(
                        PemKeys.privateKey(Files.readString(caDirectory.resolve(CertificateAuthority.SERVER_KEY_FILE))),
                        PemKeys.certificates(
                                Files.readString(caDirectory.resolve(CertificateAuthority.SERVER_CERT_FILE))))
                .trustManager(
                        PemKeys.certificates(Files.readString(caDirectory.resolve(CertificateAuthority.CERT_FILE))))
                .clientAuth(ClientAuth.REQUIRE)
                .build();
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline()
                                .addLast(
                                        ssl.newHandler(channel.alloc()),
                                        new MqttDecoder(),
                                        MqttEncoder.INSTANCE,
                                        new Script());
                    }
                })
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
    }

    Target target() {
        return new Target("scripted", ((InetSocketAddress) server.localAddress()).getPort(), ProcessMeter.self());
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Script extends SimpleChannelInboundHandler<MqttMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage message) {
            switch (message.fixedHeader().messageType()) {
                case CONNECT -> connect(ctx, (MqttConnectMessage) message);
                case PUBLISH -> publish(ctx, (MqttPublishMessage) message);
                default -> {}
            }
        }

        private void connect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
            connects.add(new Connect(
                    connect.payload().clientIdentifier(),
                    connect.variableHeader().version(),
                    connect.variableHeader().isCleanSession(),
                    connect.variableHeader().keepAliveTimeSeconds(),
                    connect.variableHeader().hasUserName(),
                    describe(connect.variableHeader().properties())));
            ctx.writeAndFlush(MqttMessageBuilders.connAck()
                    .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                    .properties(new MqttMessageBuilders.ConnAckPropertiesBuilder()
                            .receiveMaximum(receiveMaximum)
                            .build())
                    .build());
        }

        private void publish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
            publishes.add(new Publish(
                    publish.variableHeader().topicName(),
                    publish.fixedHeader().qosLevel().value(),
                    describe(publish.variableHeader().properties()),
                    publish.payload().readableBytes()));
            published.incrementAndGet();
            switch (answer) {
                case PUBACK ->
                    ctx.writeAndFlush(MqttMessageBuilders.pubAck()
                            .packetId(publish.variableHeader().packetId())
                            .reasonCode((byte) reasonCode)
                            .build());
                case CLOSE -> ctx.close();
                case SILENT -> {}
            }
        }
    }

    private static String describe(MqttProperties properties) {
        List<String> all = properties.listAll().stream()
                .map(p -> p.propertyId() + "=" + p.value())
                .sorted()
                .toList();
        return all.toString();
    }
}
