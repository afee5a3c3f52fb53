package io.tsunagu.bench.load;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * One keep-alive HTTP/1.1 connection of {@link HttpLoop}: keeps {@code depth} GETs in flight (pipelined when above 1),
 * sends the next one when an answer has ended, until the deadline; then closes once the last answer arrived. Netty's
 * {@code HttpClientCodec} (before this handler in the pipeline) writes the requests and parses the answers; this
 * handler only counts. Requests written while handling a read are flushed once at the end of that read, so answers
 * that arrive together cost one write. Runs on its channel's event loop only.
 */
final class HttpLoopConnection extends SimpleChannelInboundHandler<HttpObject> {
    private final String hostHeader;
    private final int depth;
    private final long deadlineNanos;
    private final int expectedStatus;
    private final Supplier<HttpLoop.Get> requests;
    private final HttpLoop.Counters counters;
    private final CountDownLatch closed;
    /** Send times of the requests in flight, oldest first: HTTP/1.1 answers come in request order. */
    private final long[] sentNanos;

    private int head;
    private int inFlight;
    private int status;
    private long bodyBytes;
    private boolean broken;

    HttpLoopConnection(
            String hostHeader,
            HttpLoop.Shape shape,
            long deadlineNanos,
            int expectedStatus,
            Supplier<HttpLoop.Get> requests,
            HttpLoop.Counters counters,
            CountDownLatch closed) {
        this.hostHeader = hostHeader;
        this.depth = shape.depth();
        this.deadlineNanos = deadlineNanos;
        this.expectedStatus = expectedStatus;
        this.requests = requests;
        this.counters = counters;
        this.closed = closed;
        this.sentNanos = new long[depth];
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        for (int i = 0; i < depth; i++) {
            send(ctx);
        }
        ctx.flush();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg.decoderResult().isFailure()) {
            broken = true;
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            status = response.status().code();
            bodyBytes = 0;
        }
        if (msg instanceof HttpContent content) {
            bodyBytes += content.content().readableBytes();
        }
        if (msg instanceof LastHttpContent) {
            answered(ctx);
        }
    }

    private void answered(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        long sent = sentNanos[head];
        head = (head + 1) % depth;
        inFlight--;
        if (status == expectedStatus) {
            counters.latencies.record(now - sent);
            counters.ok.increment();
            counters.bytes.add(bodyBytes);
        } else {
            counters.failed.increment();
        }
        if (now < deadlineNanos) {
            send(ctx);
        } else if (inFlight == 0) {
            ctx.close();
        }
    }

    private void send(ChannelHandlerContext ctx) {
        HttpLoop.Get get = requests.get();
        FullHttpRequest request =
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, get.path(), Unpooled.EMPTY_BUFFER);
        request.headers().set(HttpHeaderNames.HOST, hostHeader);
        if (!get.authorization().isEmpty()) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, get.authorization());
        }
        sentNanos[(head + inFlight) % depth] = System.nanoTime();
        inFlight++;
        ctx.write(request, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        broken = true;
        ctx.close();
    }

    /** Requests still in flight when the connection closed (the server closed it, or it broke) count as failed. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        counters.failed.add(inFlight);
        if (broken || System.nanoTime() < deadlineNanos) {
            counters.brokenConnections.increment();
        }
        inFlight = 0;
        closed.countDown();
    }
}
