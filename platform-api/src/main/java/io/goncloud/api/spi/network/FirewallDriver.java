package io.goncloud.api.spi.network;

import io.goncloud.api.spi.Driver;

/**
 * Enforces security groups (stateful, per port) and network ACLs (stateless, per subnet) on a host.
 *
 * <p>Level-triggered like {@link NetworkDriver}: {@link #apply(FirewallPolicy)} receives the complete
 * desired policy and replaces what is installed in one atomic kernel transaction, so that no packet
 * ever sees a half-applied policy, established connections that remain allowed survive, and the cost
 * of a change does not grow with the number of rules already installed. Tables, chains and sets it
 * creates carry the {@code gcp} prefix; it never touches anything else.
 */
public interface FirewallDriver extends Driver {

    void apply(FirewallPolicy desired);

    /**
     * Applies like {@link #apply}, but may trust its own record of what it installed at earlier calls instead of
     * reading the kernel's state again; the platform calls this on every change and {@link #apply} periodically,
     * so drift is still repaired. Drivers should bound how long a record is trusted. Default: {@link #apply}.
     */
    default void applyChanges(FirewallPolicy desired) {
        apply(desired);
    }
}
