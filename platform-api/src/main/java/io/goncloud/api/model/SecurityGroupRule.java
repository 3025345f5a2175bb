package io.goncloud.api.model;

/**
 * One allow rule of a security group (security groups only allow; what no rule allows is dropped, and
 * replies to allowed traffic always pass).
 *
 * @param direction {@code inbound} or {@code outbound}
 * @param protocol  {@code tcp}, {@code udp}, {@code icmp} or {@code all}
 * @param fromPort  tcp/udp: first port (0-65535); icmp: the ICMP type, -1 for every type; all: 0
 * @param toPort    tcp/udp: last port, inclusive; icmp: the ICMP code, -1 for every code; all: 65535
 * @param source    the other side of the traffic (the peer for inbound, the destination for outbound):
 *                  a CIDR block, or the id of a security group of the same VPC, standing for its members
 */
public record SecurityGroupRule(String id, String direction, String protocol, int fromPort, int toPort,
                                String source, String description) {
}
