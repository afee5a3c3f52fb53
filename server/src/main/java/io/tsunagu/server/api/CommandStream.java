package io.tsunagu.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.command.Command;
import io.tsunagu.server.command.CommandService;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One car's command state changes as Server-Sent Events: an event {@code command} per change, its data the command's
 * JSON (as {@code GET .../commands/{id}} shows it), its id {@code <command id>/<state>}. A comment opens the stream and
 * keeps it alive every {@value #KEEP_ALIVE_S} s; a client that stops reading is dropped once the buffer of {@value
 * #BUFFER} events is full. The handler holds its (virtual) thread while the stream is open.
 */
final class CommandStream {
    private static final Logger LOG = LoggerFactory.getLogger(CommandStream.class);
    static final int KEEP_ALIVE_S = 15;
    static final int BUFFER = 1000;

    private final ApiServer api;
    private final CommandService commands;
    private final Function<Command, ObjectNode> json;

    CommandStream(ApiServer api, CommandService commands, Function<Command, ObjectNode> json) {
        this.api = api;
        this.commands = commands;
        this.json = json;
    }

    void serve(Vin vin, ServerResponse res) {
        BlockingQueue<Command> queue = new LinkedBlockingQueue<>(BUFFER);
        boolean[] overflow = {false};
        Runnable stop = commands.watch(vin, command -> {
            if (!queue.offer(command)) {
                overflow[0] = true;
            }
        });
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            sink.emit(SseEvent.builder().comment("command states of " + vin).build());
            while (!overflow[0] && commands.running()) {
                Command command = queue.poll(KEEP_ALIVE_S, TimeUnit.SECONDS);
                sink.emit(
                        command == null
                                ? SseEvent.builder().comment("keep-alive").build()
                                : event(command));
            }
        } catch (UncheckedIOException e) {
            LOG.debug("command stream of {} closed by the client: {}", vin, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop.run();
        }
    }

    private SseEvent event(Command command) {
        try {
            return SseEvent.builder()
                    .name("command")
                    .id(command.id() + "/" + command.state().code())
                    .data(api.mapper().writeValueAsString(json.apply(command)))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render command", e);
        }
    }
}
