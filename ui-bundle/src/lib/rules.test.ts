import { describe, expect, it } from 'vitest';
import { describePorts, portsError, sourceCidrError } from './rules';

describe('security group and ACL rules', () => {
  it('reads like a person would say it', () => {
    expect(describePorts('tcp', 22, 22)).toBe('TCP 22');
    expect(describePorts('udp', 1000, 2000)).toBe('UDP 1000–2000');
    expect(describePorts('tcp', 0, 65535)).toBe('TCP, all ports');
    expect(describePorts('icmp', -1, -1)).toBe('ICMP, all types');
    expect(describePorts('icmp', 8, -1)).toBe('ICMP type 8');
    expect(describePorts('all', -1, -1)).toBe('All traffic');
  });

  it('checks ports as the API does', () => {
    expect(portsError('tcp', 22, 22)).toBeNull();
    expect(portsError('tcp', undefined, 22)).toBe('A port range is required for TCP and UDP');
    expect(portsError('udp', 100, 99)).toBe('The last port must not be below the first');
    expect(portsError('tcp', 0, 70000)).toBe('Ports are between 0 and 65535');
    expect(portsError('icmp', -1, -1)).toBeNull();
    expect(portsError('icmp', -1, 0)).toBe('The ICMP code must be -1 (all) when the type is -1 (all)');
    expect(portsError('icmp', 300, -1)).toBe('ICMP type and code are between 0 and 255, or -1 for all');
    expect(portsError('all', undefined, undefined)).toBeNull();
  });

  it('accepts any IPv4 block in network form as a source, 0.0.0.0/0 included', () => {
    expect(sourceCidrError('0.0.0.0/0')).toBeNull();
    expect(sourceCidrError('203.0.113.7/32')).toBeNull();
    expect(sourceCidrError('203.0.113.1/24')).toBe("'203.0.113.1/24' has host bits set; the block is 203.0.113.0/24");
    expect(sourceCidrError('')).toBe('A CIDR block is required, e.g. 10.0.0.0/16');
  });
});
