package io.goncloud.core.persistence;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;

import javax.persistence.EntityManager;
import javax.persistence.TypedQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Keyset pagination in creation order. The page token encodes the (created_at, id) of the last item
 * returned, so pages stay correct while rows are added or removed between requests.
 */
public final class Paging {

    private Paging() {
    }

    /**
     * Lists one page of {@code entity} rows matching {@code where}.
     *
     * @param where  a JPQL condition on alias {@code e}, or {@code null}
     * @param params   the condition's named parameters
     * @param toModels maps the page's rows at once, so that related rows can be fetched in one query
     */
    public static <E extends Timestamped, T> Page<T> page(EntityManager em, Class<E> entity, String where,
                                                          Map<String, Object> params, PageRequest request,
                                                          Function<List<E>, List<T>> toModels) {
        int limit = validLimit(request.limit());
        Map<String, Object> bound = new LinkedHashMap<>(params);
        List<String> conditions = new ArrayList<>();
        if (where != null) {
            conditions.add("(" + where + ")");
        }
        if (request.pageToken() != null) {
            Cursor cursor = Cursor.decode(request.pageToken());
            conditions.add("(e.createdAt > :cursorTime OR (e.createdAt = :cursorTime AND e.id > :cursorId))");
            bound.put("cursorTime", cursor.createdAt());
            bound.put("cursorId", cursor.id());
        }
        String jpql = "SELECT e FROM " + entity.getSimpleName() + " e"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY e.createdAt, e.id";
        TypedQuery<E> query = em.createQuery(jpql, entity).setMaxResults(limit + 1);
        bound.forEach(query::setParameter);
        List<E> rows = query.getResultList();
        boolean more = rows.size() > limit;
        List<E> pageRows = more ? rows.subList(0, limit) : rows;
        String next = more ? Cursor.of(pageRows.get(limit - 1)).encode() : null;
        return new Page<>(toModels.apply(pageRows), next);
    }

    static int validLimit(Integer limit) {
        if (limit == null) {
            return PageRequest.DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "limit must be between 1 and " + PageRequest.MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }

    record Cursor(OffsetDateTime createdAt, String id) {

        /** The span every supported database can store; a token outside it was not made by this API. */
        private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
        private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

        static Cursor of(Timestamped row) {
            return new Cursor(row.createdAt(), row.id());
        }

        String encode() {
            Instant t = createdAt.toInstant();
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, t);
            String raw = micros + "/" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int slash = raw.indexOf('/');
                long micros = Long.parseLong(raw.substring(0, slash));
                String id = UUID.fromString(raw.substring(slash + 1)).toString();
                Instant t = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
                if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
                    throw new IllegalArgumentException("no row was created then");
                }
                return new Cursor(t.atOffset(ZoneOffset.UTC), id);
            } catch (RuntimeException e) {
                throw new GcpException(ErrorCode.INVALID_PAGE_TOKEN,
                        "page_token is not a token this API returned");
            }
        }
    }
}
