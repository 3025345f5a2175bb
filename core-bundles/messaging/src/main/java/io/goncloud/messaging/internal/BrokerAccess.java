package io.goncloud.messaging.internal;

import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;

import javax.security.auth.Subject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Who may do what on the embedded broker, decided by address rather than by role tables, since workers come and go:
 * <ul>
 * <li>the controller's user: everything;</li>
 * <li>a worker's user, named after its host id: consume (and create) its own queues {@code gcp.tasks.<hostId>} and
 * {@code gcp.state.<hostId>}, send (and create) {@code gcp.reports}, send dead letters; nothing else, so a worker
 * can neither read another worker's tasks or state nor send tasks;</li>
 * <li>no user, or a wrong password: not even a connection.</li>
 * </ul>
 */
final class BrokerAccess implements ActiveMQSecurityManager5 {

    private final String controllerUser;
    private final Map<String, byte[]> passwords = new HashMap<>();
    private final String deadLetterAddress;

    /**
     * @param workers host id -> password of each worker allowed in
     */
    BrokerAccess(String controllerUser, String controllerPassword, Map<String, String> workers,
                 String deadLetterAddress) {
        if (controllerUser == null || controllerUser.isBlank() || controllerPassword == null
                || controllerPassword.isEmpty()) {
            throw new IllegalArgumentException("broker security needs controller.user and .controller.password");
        }
        this.controllerUser = controllerUser.strip();
        this.deadLetterAddress = deadLetterAddress;
        passwords.put(this.controllerUser, bytes(controllerPassword));
        workers.forEach((host, password) -> {
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("worker " + host + " has an empty password");
            }
            if (host.strip().equals(this.controllerUser)) {
                // It would replace the controller's password and get the controller's rights.
                throw new IllegalArgumentException("a worker must not be named like controller.user: " + host);
            }
            passwords.put(host.strip(), bytes(password));
        });
    }

    /**
     * Parses {@code hostId:password} entries; a password may contain ':' (only the first one splits), not ',' or white
     * space, which separate entries: a {@code .cfg} file has no lists, so every worker comes in one string there
     * ({@code .worker.credentials = worker-1:pw1, worker-2:pw2}), which DS hands over as a one-element array.
     */
    static Map<String, String> workers(String[] values) {
        Map<String, String> workers = new HashMap<>();
        for (String value : values == null ? new String[0] : values) {
            for (String entry : value == null || value.isBlank() ? new String[0] : value.strip().split("[,\\s]+")) {
                if (entry.isEmpty()) {
                    continue; // a leading separator
                }
                int colon = entry.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("a worker credential is hostId:password, not '"
                            + entry.substring(0, Math.max(0, colon)) + "...'");
                }
                String host = entry.substring(0, colon);
                if (workers.put(host, entry.substring(colon + 1)) != null) {
                    throw new IllegalArgumentException("worker " + host + " has two credentials");
                }
            }
        }
        return workers;
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        return validateUser(user, password) ? subject(user) : null;
    }

    @Override
    public boolean validateUser(String user, String password) {
        byte[] expected = user == null ? null : passwords.get(user);
        // Constant time, so that answers do not tell how much of a password was right.
        return expected != null && password != null && MessageDigest.isEqual(expected, bytes(password));
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        String user = subject == null ? null : subject.getPrincipals(UserPrincipal.class).stream()
                .map(UserPrincipal::getName).findFirst().orElse(null);
        return allowed(user, checkType, address);
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return false; // Artemis asks authorize() of an ActiveMQSecurityManager5, which knows the address
    }

    boolean allowed(String user, CheckType checkType, String address) {
        if (user == null || !passwords.containsKey(user)) {
            return false;
        }
        if (user.equals(controllerUser)) {
            return true;
        }
        String bare = address == null ? "" : address.split("::", 2)[0]; // a fully qualified queue name
        boolean create = checkType == CheckType.CREATE_ADDRESS || checkType == CheckType.CREATE_DURABLE_QUEUE;
        if (bare.equals(Queues.TASKS_PREFIX + user) || bare.equals(Queues.STATE_PREFIX + user)) {
            return checkType == CheckType.CONSUME || create;
        }
        if (bare.equals(Queues.REPORTS)) {
            return checkType == CheckType.SEND || create;
        }
        return bare.equals(deadLetterAddress) && checkType == CheckType.SEND;
    }

    private static Subject subject(String user) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        return subject;
    }

    private static byte[] bytes(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }
}
