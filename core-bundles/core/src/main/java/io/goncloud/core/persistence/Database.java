package io.goncloud.core.persistence;

import org.eclipse.persistence.internal.sessions.UnitOfWorkImpl;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs units of work in resource-local JPA transactions: all of a service call's writes commit
 * together or not at all.
 */
public class Database {

    private final EntityManagerFactory entityManagerFactory;

    public Database(EntityManagerFactory entityManagerFactory) {
        this.entityManagerFactory = entityManagerFactory;
    }

    public <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = entityManagerFactory.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            boolean changed = hasChanges(em);
            tx.commit();
            if (changed) {
                committedChanges();
            }
            return result;
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    /**
     * Runs a read-only unit of work: its transaction is rolled back, and listeners are never told about it.
     * Readers that run after every change (the network agent's desired state) must use this, or a read
     * that EclipseLink counts as a write (a native query begins the database transaction early) would
     * announce a change and start the next read, forever.
     */
    public <T> T read(Function<EntityManager, T> work) {
        EntityManager em = entityManagerFactory.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            return work.apply(em);
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    /** Called after a transaction that wrote something has committed; here, nothing happens. */
    protected void committedChanges() {
    }

    /**
     * Whether the transaction wrote anything: pending changes, or a database transaction that EclipseLink
     * began early, which it does on the first flush or write query (and for locking reads, which only
     * costs listeners a needless look).
     */
    private static boolean hasChanges(EntityManager em) {
        UnitOfWorkImpl unitOfWork = em.unwrap(UnitOfWorkImpl.class);
        return unitOfWork == null || unitOfWork.hasChanges() || unitOfWork.wasTransactionBegunPrematurely();
    }

    public void run(Consumer<EntityManager> work) {
        inTransaction(em -> {
            work.accept(em);
            return null;
        });
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Now, in UTC, at the microsecond precision both PostgreSQL and H2 store. */
    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
