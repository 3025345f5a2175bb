package io.goncloud.api.model;

/**
 * One numbered entry of a network ACL; entries are evaluated in rule-number order per direction, the
 * first match decides, and traffic no entry matches is denied.
 *
 * @param ruleNumber 1 to 32766, unique per ACL and direction
 * @param protocol   {@code tcp}, {@code udp}, {@code icmp} or {@code all}
 * @param fromPort   as in {@link SecurityGroupRule}: ports for tcp/udp, ICMP type (-1 any) for icmp
 * @param toPort     as in {@link SecurityGroupRule}: ports for tcp/udp, ICMP code (-1 any) for icmp
 * @param action     {@code allow} or {@code deny}
 */
public record NetworkAclEntry(int ruleNumber, String direction, String protocol, int fromPort, int toPort,
                              String cidrBlock, String action) {
}
