import type { Protocol } from '../api/types';
import { parseCidr } from './cidr';

/** How a rule's protocol and ports read, e.g. "TCP 22", "UDP 1000–2000", "All traffic", "ICMP all". */
export function describePorts(protocol: Protocol, from: number, to: number): string {
  switch (protocol) {
    case 'all':
      return 'All traffic';
    case 'icmp':
      if (from === -1) {
        return 'ICMP, all types';
      }
      return to === -1 ? `ICMP type ${from}` : `ICMP type ${from} code ${to}`;
    default: {
      const name = protocol.toUpperCase();
      if (from === 0 && to === 65535) {
        return `${name}, all ports`;
      }
      return from === to ? `${name} ${from}` : `${name} ${from}–${to}`;
    }
  }
}

export interface RulePreset {
  label: string;
  protocol: Protocol;
  from_port?: number;
  to_port?: number;
}

export const RULE_PRESETS: RulePreset[] = [
  { label: 'SSH (TCP 22)', protocol: 'tcp', from_port: 22, to_port: 22 },
  { label: 'HTTP (TCP 80)', protocol: 'tcp', from_port: 80, to_port: 80 },
  { label: 'HTTPS (TCP 443)', protocol: 'tcp', from_port: 443, to_port: 443 },
  { label: 'PostgreSQL (TCP 5432)', protocol: 'tcp', from_port: 5432, to_port: 5432 },
  { label: 'DNS (UDP 53)', protocol: 'udp', from_port: 53, to_port: 53 },
  { label: 'Ping (ICMP echo)', protocol: 'icmp', from_port: 8, to_port: -1 },
  { label: 'All traffic', protocol: 'all' },
];

/** Checks a rule's ports as the API does (SecurityGroupService.CreateSecurityGroupRule); null when valid. */
export function portsError(protocol: Protocol, from: number | null | undefined, to: number | null | undefined): string | null {
  const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
  if (protocol === 'tcp' || protocol === 'udp') {
    if (!isInt(from) || !isInt(to)) {
      return 'A port range is required for TCP and UDP';
    }
    if (from < 0 || from > 65535 || to < 0 || to > 65535) {
      return 'Ports are between 0 and 65535';
    }
    if (to < from) {
      return 'The last port must not be below the first';
    }
    return null;
  }
  if (protocol === 'icmp') {
    const type = from ?? -1;
    const code = to ?? -1;
    if (!isInt(type) || type < -1 || type > 255 || !isInt(code) || code < -1 || code > 255) {
      return 'ICMP type and code are between 0 and 255, or -1 for all';
    }
    if (type === -1 && code !== -1) {
      return 'The ICMP code must be -1 (all) when the type is -1 (all)';
    }
  }
  return null;
}

/** A rule's source: any IPv4 CIDR block (0.0.0.0/0 included) in network form. */
export function sourceCidrError(value: string | null | undefined): string | null {
  const parsed = parseCidr(value);
  return parsed.ok ? null : parsed.message.charAt(0).toUpperCase() + parsed.message.slice(1);
}
