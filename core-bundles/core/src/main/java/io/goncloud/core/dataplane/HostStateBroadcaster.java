package io.goncloud.core.dataplane;

import io.goncloud.api.cluster.HostState;
import io.goncloud.api.cluster.HostStatePublisher;
import io.goncloud.api.service.StateChangeListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Controller side: hands every known host the newest snapshot of its desired network state, so that a worker without
 * the database can converge ({@code HostStateFeed} in gcp-messaging consumes it). Level-triggered: at start, after
 * every committed change and every {@code state.resync.seconds}, it computes every host's snapshot and publishes those
 * whose version differs from what it last published (the transport keeps the newest per host, so nothing else needs
 * sending). A failed publish forgets what was published, so everything goes again on the next pass, which comes
 * after {@value #RETRY_SECONDS} s.
 */
@Component(service = StateChangeListener.class, immediate = true, configurationPid = "io.goncloud.cluster")
public class HostStateBroadcaster implements StateChangeListener {

    private static final Logger LOG = LoggerFactory.getLogger(HostStateBroadcaster.class);
    static final long RETRY_SECONDS = 5;

    @ObjectClassDefinition(name = "GCP network state broadcast")
    public @interface Config {
        @AttributeDefinition(description = "Seconds between recomputations of every host's network state (only "
                + "changed snapshots are sent)", min = "1")
        long state_resync_seconds() default 30;
    }

    private final NetworkStateServiceImpl state;
    /** Optional, so that gcp-core resolves without gcp-messaging; passes wait for it. */
    private volatile HostStatePublisher publisher;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "gcp-state-broadcast"));
    /** Set while a pass is queued and not started: changes meanwhile join it. */
    private final AtomicBoolean queued = new AtomicBoolean();
    /** host id -> version last handed to the transport; touched by the worker thread only. */
    private final Map<String, String> published = new HashMap<>();
    private boolean failing;

    @Activate
    public HostStateBroadcaster(@Reference NetworkStateServiceImpl state, Config config) {
        this(state, null, Duration.ofSeconds(Math.max(1, config.state_resync_seconds())));
    }

    public HostStateBroadcaster(NetworkStateServiceImpl state, HostStatePublisher publisher, Duration resync) {
        this.state = state;
        this.publisher = publisher;
        worker.scheduleWithFixedDelay(this::pass, 0, resync.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPublisher(HostStatePublisher publisher) {
        this.publisher = publisher;
        desiredStateChanged();
    }

    void unbindPublisher(HostStatePublisher publisher) {
        if (this.publisher == publisher) {
            this.publisher = null;
        }
    }

    @Override
    public void desiredStateChanged() {
        if (queued.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    queued.set(false);
                    pass();
                });
            } catch (RejectedExecutionException stopped) {
                queued.set(false);
            }
        }
    }

    /** Runs a pass now, after any queued one; the future completes when it has (tests, operators). */
    public Future<?> passNow() {
        return worker.submit(this::pass);
    }

    private void pass() {
        HostStatePublisher publisher = this.publisher;
        if (publisher == null) {
            published.clear(); // a new transport starts from nothing
            return;
        }
        try {
            for (HostState snapshot : state.snapshots(Instant.now()).values()) {
                if (!snapshot.version().equals(published.get(snapshot.hostId()))) {
                    publisher.publish(snapshot);
                    published.put(snapshot.hostId(), snapshot.version());
                    LOG.debug("Published network state {} of host {}", snapshot.version(), snapshot.hostId());
                }
            }
            if (failing) {
                LOG.info("Network state snapshots are published again");
                failing = false;
            }
        } catch (RuntimeException e) {
            // The broker may have come back without its journal: send everything again, soon.
            published.clear();
            if (!failing) {
                LOG.warn("Cannot publish the hosts' network state ({}); retrying every {} s", e.getMessage(),
                        RETRY_SECONDS);
            }
            failing = true;
            try {
                worker.schedule(this::pass, RETRY_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException stopped) {
                // deactivated meanwhile
            }
        }
    }

    @Deactivate
    public void stop() {
        worker.shutdownNow();
    }
}
