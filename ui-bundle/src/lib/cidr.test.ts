import { describe, expect, it } from 'vitest';
import { parseCidr, subnetCidrError, suggestSubnet, usableAddresses, vpcCidrError } from './cidr';

describe('vpcCidrError', () => {
  it('accepts IPv4 blocks from /16 to /28 in network form', () => {
    for (const ok of ['10.0.0.0/16', '172.16.0.0/20', '192.168.1.0/24', '10.0.0.16/28', ' 10.1.0.0/16 ']) {
      expect(vpcCidrError(ok), ok).toBeNull();
    }
  });

  it("answers a block outside /16../28 with the API's InvalidVpc.Range message", () => {
    expect(vpcCidrError('10.0.0.0/8')).toBe("The CIDR '10.0.0.0/8' is invalid: a VPC's prefix length must be between /16 and /28");
    expect(vpcCidrError('10.0.0.0/29')).toBe("The CIDR '10.0.0.0/29' is invalid: a VPC's prefix length must be between /16 and /28");
  });

  it("answers unreadable blocks with the API's InvalidParameterValue messages", () => {
    expect(vpcCidrError('')).toBe('The request must contain the parameter cidr_block');
    expect(vpcCidrError('10.0.0.0')).toBe("Value (10.0.0.0) for parameter cidr_block is invalid: '10.0.0.0' has no prefix length, e.g. 10.0.0.0/16");
    expect(vpcCidrError('fd00::/16')).toContain('is not an IPv4 CIDR block');
    expect(vpcCidrError('10.010.0.0/16')).toContain('write a.b.c.d/n in decimal without leading zeros');
    expect(vpcCidrError('10.0.0/16')).toContain('write a.b.c.d/n in decimal');
    expect(vpcCidrError('300.0.0.0/16')).toContain("'300.0.0.0/16' is not a valid CIDR block");
    expect(vpcCidrError('10.0.0.0/33')).toContain('is not a valid CIDR block');
    expect(vpcCidrError('10.0.0.1/16')).toBe(
      "Value (10.0.0.1/16) for parameter cidr_block is invalid: '10.0.0.1/16' has host bits set; the block is 10.0.0.0/16",
    );
  });
});

describe('subnetCidrError', () => {
  it("requires the block inside the VPC's block", () => {
    expect(subnetCidrError('10.0.1.0/24', '10.0.0.0/16')).toBeNull();
    expect(subnetCidrError('10.1.0.0/24', '10.0.0.0/16')).toBe("The CIDR '10.1.0.0/24' is invalid: it is not within the VPC's block 10.0.0.0/16");
    expect(subnetCidrError('10.0.0.0/30', '10.0.0.0/16')).toBe(
      "The CIDR '10.0.0.0/30' is invalid: a subnet's prefix length must be between /16 and /28",
    );
  });
});

describe('arithmetic', () => {
  it('parses to the canonical form and counts usable addresses', () => {
    const parsed = parseCidr('192.168.0.0/24');
    expect(parsed.ok && parsed.cidr.text).toBe('192.168.0.0/24');
    expect(usableAddresses('10.0.1.0/24')).toBe(251);
    expect(usableAddresses('10.0.0.0/28')).toBe(11);
    expect(usableAddresses('10.0.0.0/16')).toBe(65531);
  });

  it('suggests the first free block that overlaps no subnet', () => {
    expect(suggestSubnet('10.0.0.0/16', [])).toBe('10.0.0.0/24');
    expect(suggestSubnet('10.0.0.0/16', ['10.0.0.0/24', '10.0.1.0/24'])).toBe('10.0.2.0/24');
    expect(suggestSubnet('10.0.0.0/16', ['10.0.0.0/20'])).toBe('10.0.16.0/24');
    expect(suggestSubnet('10.0.0.0/28', [])).toBe('10.0.0.0/28');
    expect(suggestSubnet('10.0.0.0/28', ['10.0.0.0/28'])).toBeNull();
    expect(suggestSubnet('192.168.255.0/24', [])).toBe('192.168.255.0/24');
  });
});
