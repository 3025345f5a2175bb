package io.goncloud.core.quota;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Quota;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.QuotaService;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.UserEntity;
import io.goncloud.core.quota.Quotas.Resource;
import io.goncloud.core.validation.Check;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.persistence.EntityManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Component(service = QuotaService.class)
public class QuotaServiceImpl implements QuotaService {

    /** Above this a quota means nothing on a small cloud, and sums of usage stay far from overflowing. */
    static final long MAX_LIMIT = 1_000_000_000L;

    private final Database db;

    @Activate
    public QuotaServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public List<Quota> mine(Caller caller) {
        if (caller.isOperator()) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "Quotas belong to users; log in as one");
        }
        return db.read(em -> of(em, caller.userId()));
    }

    @Override
    public List<Quota> forUser(Caller caller, String userId) {
        requireAdmin(caller);
        String id = Check.id(userId, ErrorCode.USER_MALFORMED, "user id");
        return db.read(em -> of(em, existing(em, id)));
    }

    @Override
    public List<Quota> setForUser(Caller caller, String userId, Map<String, Long> limits) {
        requireAdmin(caller);
        String id = Check.id(userId, ErrorCode.USER_MALFORMED, "user id");
        Map<Resource, Long> changes = parse(limits, true);
        return db.inTransaction(em -> {
            existing(em, id);
            changes.forEach((resource, limit) -> {
                em.createNativeQuery("DELETE FROM quota_overrides WHERE user_id = ? AND resource = ?")
                        .setParameter(1, id).setParameter(2, resource.wireName()).executeUpdate();
                if (limit != null) {
                    em.createNativeQuery("INSERT INTO quota_overrides (user_id, resource, max_value) VALUES (?, ?, ?)")
                            .setParameter(1, id).setParameter(2, resource.wireName()).setParameter(3, limit)
                            .executeUpdate();
                }
            });
            return of(em, id);
        });
    }

    @Override
    public List<Quota> defaults(Caller caller) {
        return db.read(em -> {
            List<Quota> quotas = new ArrayList<>();
            for (Resource r : Resource.values()) {
                quotas.add(new Quota(r.wireName(), Quotas.defaultLimit(em, r), null, true));
            }
            return quotas;
        });
    }

    @Override
    public List<Quota> setDefaults(Caller caller, Map<String, Long> limits) {
        requireAdmin(caller);
        Map<Resource, Long> changes = parse(limits, false);
        db.run(em -> changes.forEach((resource, limit) -> {
            em.createNativeQuery("DELETE FROM quota_defaults WHERE resource = ?").setParameter(1, resource.wireName())
                    .executeUpdate();
            em.createNativeQuery("INSERT INTO quota_defaults (resource, max_value) VALUES (?, ?)")
                    .setParameter(1, resource.wireName()).setParameter(2, limit).executeUpdate();
        }));
        return defaults(caller);
    }

    private static List<Quota> of(EntityManager em, String userId) {
        List<Quota> quotas = new ArrayList<>();
        for (Resource r : Resource.values()) {
            Long own = Quotas.override(em, userId, r);
            quotas.add(new Quota(r.wireName(), own != null ? own : Quotas.defaultLimit(em, r), Quotas.usage(em, userId, r),
                    own == null));
        }
        return quotas;
    }

    private static Map<Resource, Long> parse(Map<String, Long> limits, boolean nullResets) {
        if (limits == null || limits.isEmpty()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must name at least one quota");
        }
        Map<Resource, Long> parsed = new LinkedHashMap<>();
        limits.forEach((name, limit) -> {
            Resource resource = Resource.fromWireName(name);
            if (limit == null && !nullResets) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, name + " needs a number");
            }
            if (limit != null && (limit < 0 || limit > MAX_LIMIT)) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, name + " must be between 0 and " + MAX_LIMIT
                        + ", not " + limit);
            }
            parsed.put(resource, limit);
        });
        return parsed;
    }

    private static String existing(EntityManager em, String id) {
        if (em.find(UserEntity.class, id) == null) {
            throw new GcpException(ErrorCode.USER_NOT_FOUND, "The user '" + id + "' does not exist");
        }
        return id;
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw new GcpException(ErrorCode.UNAUTHORIZED_OPERATION, "Only administrators may change or read others' quotas");
        }
    }
}
