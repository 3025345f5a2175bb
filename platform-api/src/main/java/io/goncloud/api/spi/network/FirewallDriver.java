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
}
