package io.goncloud.api.spi.network;

import io.goncloud.api.spi.Driver;

/**
 * Builds a host's virtual networks: one isolated L2 segment per subnet, one virtual router per VPC
 * holding the subnets' gateways (routing, NAT for internet gateways and public IPs), and the ports
 * instances attach to.
 *
 * <p>The driver is level-triggered: {@link #apply(HostNetwork)} receives the complete desired network
 * state of this host and converges the kernel to it, creating what is missing, repairing what differs
 * and deleting every {@code gcp}-named object that is not in the desired state. Calling it again with
 * the same state changes nothing. After a restart the platform simply calls it again.
 */
public interface NetworkDriver extends Driver {

    /**
     * Converges this host's networking to {@code desired}. Isolation between VPCs holds at every
     * moment, including while converging, and with overlapping CIDRs.
     *
     * @return what is actually in place afterwards (e.g. host device names of ports)
     */
    AppliedNetwork apply(HostNetwork desired);

    /**
     * Converges like {@link #apply}, but may take the parts of the host whose desired state is the same as
     * at the previous call as they were then, instead of reading and repairing them; the platform calls this
     * on every change and {@link #apply} periodically, so drift is still repaired. Drivers should bound how
     * long a part can go unread. Default: {@link #apply}.
     */
    default AppliedNetwork applyChanges(HostNetwork desired) {
        return apply(desired);
    }
}
