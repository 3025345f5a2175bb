package io.goncloud.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing down: after {@code perAccount} failed logins for one account, or {@code perAddress}
 * from one address, within {@code window}, logins for that account or from that address are refused for
 * {@code lockout} after the last failure, right password or not. A success forgets the account's failures (not
 * the address's: one guesser may own an account). Kept in memory: a restarted controller starts afresh.
 */
final class LoginThrottle {

    /** @param perAccount failures that lock an account; @param perAddress failures that lock a source address */
    record Limits(int perAccount, int perAddress, Duration window, Duration lockout) {
        static final Limits DEFAULT = new Limits(5, 20, Duration.ofMinutes(15), Duration.ofMinutes(5));
    }

    /** Bounds memory when addresses or account names are made up by the million. */
    private static final int MAX_KEYS = 100_000;

    private final Limits limits;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    LoginThrottle(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Seconds until a login for {@code account} from {@code address} may be tried, or 0 if it may now. */
    long retryAfterSeconds(String account, String address) {
        Instant now = clock.instant();
        long wait = Math.max(wait(accountKey(account), limits.perAccount(), now),
                address == null ? 0 : wait(addressKey(address), limits.perAddress(), now));
        return wait;
    }

    /** Counts a failure; returns how many failures the account has in the window now. */
    int failed(String account, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_KEYS) {
            forgetExpired(now);
        }
        if (address != null) {
            record(addressKey(address), now);
        }
        return record(accountKey(account), now);
    }

    void succeeded(String account) {
        failures.remove(accountKey(account));
    }

    private long wait(String key, int limit, Instant now) {
        Deque<Instant> recent = failures.get(key);
        if (recent == null) {
            return 0;
        }
        synchronized (recent) {
            prune(recent, now);
            if (recent.size() < limit) {
                return 0;
            }
            Duration left = Duration.between(now, recent.peekLast().plus(limits.lockout()));
            return left.isNegative() || left.isZero() ? 0 : (left.toMillis() + 999) / 1000;
        }
    }

    private int record(String key, Instant now) {
        Deque<Instant> recent = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (recent) {
            prune(recent, now);
            recent.addLast(now);
            return recent.size();
        }
    }

    private void prune(Deque<Instant> recent, Instant now) {
        Instant oldest = now.minus(limits.window());
        while (!recent.isEmpty() && recent.peekFirst().isBefore(oldest)) {
            recent.removeFirst();
        }
    }

    private void forgetExpired(Instant now) {
        Instant horizon = now.minus(limits.window()).minus(limits.lockout());
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isEmpty() || e.getValue().peekLast().isBefore(horizon);
            }
        });
    }

    private static String accountKey(String account) {
        return "account:" + account;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
