package io.goncloud.rest.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.goncloud.api.model.Instance;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InstanceService;
import io.goncloud.rest.internal.ApiJson;
import io.goncloud.rest.internal.Authentication;
import io.goncloud.rest.internal.ChangeFeed;
import io.goncloud.rest.internal.QueryToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Live updates as Server-Sent Events: {@code event: hello} on connect, then {@code event: instance} with the
 * instance (as GET /instances/{id} returns it) whenever one of the caller's instances changes, and a comment
 * line as keep-alive. Streams wake on the database's change notifications ({@link ChangeFeed}), not by polling;
 * a slow safety re-check covers a missed notification.
 */
@Path("events")
public class EventResource {

    public static final String EVENT_STREAM = "text/event-stream";
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    static final Duration RECHECK = Duration.ofSeconds(5);
    /**
     * How far back each look reaches behind the newest change already sent: a transaction that stamped its
     * change a moment earlier may commit a moment later. Changes already sent are not sent again.
     */
    static final Duration OVERLAP = Duration.ofSeconds(2);
    static final int BATCH = 200;
    private static final Logger LOG = LoggerFactory.getLogger(EventResource.class);

    private final InstanceService instances;
    private final ChangeFeed feed;
    private final ObjectMapper json = ApiJson.mapper();

    public EventResource(InstanceService instances, ChangeFeed feed) {
        this.instances = instances;
        this.feed = feed;
    }

    /**
     * @param lastEventId sent by EventSource when it reconnects: the {@code id} of the last event it got (an
     *                    instance's {@code updated_at}); the stream resumes from there
     */
    @GET
    @Produces(EVENT_STREAM)
    @QueryToken
    public Response stream(@Context SecurityContext security, @HeaderParam("Last-Event-ID") String lastEventId) {
        Caller caller = Authentication.caller(security);
        Instant start = resumeFrom(lastEventId);
        ChangeFeed.Subscription subscription = feed.open(caller);
        StreamingOutput body = out -> {
            try (subscription) {
                new Stream(caller, start, out).run();
            }
        };
        return Response.ok(body, EVENT_STREAM)
                .header("Cache-Control", "no-cache, no-store")
                .header("X-Accel-Buffering", "no") // tells a reverse proxy not to buffer the stream
                .build();
    }

    private static Instant resumeFrom(String lastEventId) {
        Instant connected = Instant.now().minusSeconds(1);
        if (lastEventId == null || lastEventId.isBlank()) {
            return connected;
        }
        try {
            Instant last = Instant.parse(lastEventId.strip());
            // A client cannot replay more than the recent past (terminated instances are forgotten anyway).
            return last.isBefore(connected.minus(Duration.ofHours(1))) ? connected.minus(Duration.ofHours(1)) : last;
        } catch (DateTimeParseException e) {
            return connected;
        }
    }

    /** One client's stream, on the request's thread until the client goes away or the API stops. */
    private final class Stream {
        private final Caller caller;
        private final Writer out;
        private final Map<String, Instant> sent = new HashMap<>();
        private Instant cursor;
        private long lastWrite = System.nanoTime();

        Stream(Caller caller, Instant start, OutputStream out) {
            this.caller = caller;
            this.cursor = start;
            this.out = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        }

        void run() {
            try {
                send("retry: 3000\nevent: hello\ndata: {\"keep_alive_seconds\": " + KEEP_ALIVE.toSeconds() + "}\n\n");
                long generation = feed.generation();
                while (!feed.isClosed()) {
                    catchUp();
                    long idle = (System.nanoTime() - lastWrite) / 1_000_000L;
                    long untilKeepAlive = KEEP_ALIVE.toMillis() - idle;
                    if (untilKeepAlive <= 0) {
                        send(": keep-alive\n\n");
                        continue;
                    }
                    generation = feed.awaitChange(generation, Math.min(untilKeepAlive, RECHECK.toMillis()));
                }
            } catch (IOException gone) {
                LOG.debug("Event stream of {} ended: {}", caller.userId(), gone.toString());
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            }
        }

        /** Sends every change of the caller's instances since the cursor that was not sent yet. */
        private void catchUp() throws IOException {
            Instant since = cursor.minus(OVERLAP);
            for (int round = 0; round < 10; round++) {
                List<Instance> changed = instances.changedSince(caller, since, BATCH);
                for (Instance instance : changed) {
                    Instant at = instance.updatedAt();
                    if (at.equals(sent.get(instance.id()))) {
                        continue;
                    }
                    sent.put(instance.id(), at);
                    send("id: " + at + "\nevent: instance\ndata: " + json.writeValueAsString(instance) + "\n\n");
                    if (at.isAfter(cursor)) {
                        cursor = at;
                    }
                }
                if (changed.size() < BATCH) {
                    break;
                }
                // A full batch: go on after its last change (just before it, as others may share its instant).
                since = changed.get(changed.size() - 1).updatedAt().minusNanos(1000);
            }
            Instant horizon = cursor.minus(OVERLAP);
            sent.values().removeIf(at -> at.isBefore(horizon));
        }

        private void send(String text) throws IOException {
            out.write(text);
            out.flush();
            lastWrite = System.nanoTime();
        }
    }
}
