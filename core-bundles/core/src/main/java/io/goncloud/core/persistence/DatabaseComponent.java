package io.goncloud.core.persistence;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.goncloud.api.service.StateChangeListener;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The platform's database in OSGi: waits for the configured DataSource and the persistence unit that
 * Aries JPA builds on it, brings the schema up to date, then offers {@link Database} to the services.
 * Nothing can use the database before its migrations have run.
 */
@Component(service = Database.class)
public class DatabaseComponent extends Database {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseComponent.class);

    private final List<StateChangeListener> listeners = new CopyOnWriteArrayList<>();

    @Activate
    public DatabaseComponent(
            @Reference(target = "(osgi.unit.name=gcp)") EntityManagerFactory entityManagerFactory,
            @Reference(target = "(osgi.jndi.service.name=gcp)") DataSource dataSource) {
        super(entityManagerFactory);
        int applied = SchemaMigrations.migrate(dataSource);
        LOG.info("Database schema is up to date ({} migrations applied now)", applied);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(StateChangeListener listener) {
        listeners.add(listener);
    }

    void removeListener(StateChangeListener listener) {
        listeners.remove(listener);
    }

    @Override
    protected void committedChanges() {
        for (StateChangeListener listener : listeners) {
            try {
                listener.desiredStateChanged();
            } catch (RuntimeException e) {
                LOG.warn("A state change listener failed", e);
            }
        }
    }
}
