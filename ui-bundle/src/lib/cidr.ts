/**
 * IPv4 CIDR blocks, checked the way the API checks them (io.goncloud.core.net.Cidr and the VPC and
 * subnet services), with the same messages, so that a user sees the same words before and after
 * submitting a form.
 */

export const MIN_PREFIX = 16;
export const MAX_PREFIX = 28;
/** Addresses every subnet keeps for itself: network, gateway, two reserved, broadcast. */
export const RESERVED_PER_SUBNET = 5;

const DOTTED_QUAD = /^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}\/[0-9]{1,2}$/;

export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  network: number;
  prefix: number;
  /** Canonical text, e.g. 10.0.0.0/16. */
  text: string;
}

export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; message: string };

export function ipToNumber(octets: number[]): number {
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

export function numberToIp(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses a block in its network form, the message of a failure naming what is wrong. */
export function parseCidr(input: string | null | undefined): CidrResult {
  if (input == null || input.trim() === '') {
    return { ok: false, message: 'a CIDR block is required, e.g. 10.0.0.0/16' };
  }
  const text = input.trim();
  if (text.includes(':')) {
    return { ok: false, message: `'${input}' is not an IPv4 CIDR block, e.g. 10.0.0.0/16` };
  }
  if (!text.includes('/')) {
    return { ok: false, message: `'${input}' has no prefix length, e.g. 10.0.0.0/16` };
  }
  if (!DOTTED_QUAD.test(text)) {
    return {
      ok: false,
      message: `'${input}' is not a valid CIDR block: write a.b.c.d/n in decimal without leading zeros, e.g. 10.0.0.0/16`,
    };
  }
  const [address, prefixText] = text.split('/');
  const octets = address.split('.').map(Number);
  const prefix = Number(prefixText);
  if (octets.some((o) => o > 255) || prefix > 32) {
    return { ok: false, message: `'${input}' is not a valid CIDR block, e.g. 10.0.0.0/16` };
  }
  const value = ipToNumber(octets);
  const network = (value & mask(prefix)) >>> 0;
  if (network !== value) {
    return { ok: false, message: `'${input}' has host bits set; the block is ${numberToIp(network)}/${prefix}` };
  }
  return { ok: true, cidr: { network, prefix, text: `${numberToIp(network)}/${prefix}` } };
}

/** The API's message for a block it cannot read (InvalidParameterValue). */
function invalidValue(input: string, reason: string): string {
  return `Value (${input}) for parameter cidr_block is invalid: ${reason}`;
}

/** Checks a VPC's block; returns the message the API would answer with, or null when it is valid. */
export function vpcCidrError(input: string | null | undefined): string | null {
  if (input == null || input.trim() === '') {
    return 'The request must contain the parameter cidr_block';
  }
  const parsed = parseCidr(input);
  if (!parsed.ok) {
    return invalidValue(input, parsed.message);
  }
  const { cidr } = parsed;
  if (cidr.prefix < MIN_PREFIX || cidr.prefix > MAX_PREFIX) {
    return `The CIDR '${cidr.text}' is invalid: a VPC's prefix length must be between /${MIN_PREFIX} and /${MAX_PREFIX}`;
  }
  return null;
}

/** Checks a subnet's block against its VPC's block, with the API's messages; null when valid. */
export function subnetCidrError(input: string | null | undefined, vpcBlock?: string): string | null {
  if (input == null || input.trim() === '') {
    return 'The request must contain the parameter cidr_block';
  }
  const parsed = parseCidr(input);
  if (!parsed.ok) {
    return invalidValue(input, parsed.message);
  }
  const { cidr } = parsed;
  if (cidr.prefix < MIN_PREFIX || cidr.prefix > MAX_PREFIX) {
    return `The CIDR '${cidr.text}' is invalid: a subnet's prefix length must be between /${MIN_PREFIX} and /${MAX_PREFIX}`;
  }
  const vpc = vpcBlock ? parseCidr(vpcBlock) : null;
  if (vpc?.ok && !contains(vpc.cidr, cidr)) {
    return `The CIDR '${cidr.text}' is invalid: it is not within the VPC's block ${vpc.cidr.text}`;
  }
  return null;
}

/** How many addresses the block holds. */
export function size(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** Addresses a new subnet of this block leaves for instances. */
export function usableAddresses(block: string): number | null {
  const parsed = parseCidr(block);
  return parsed.ok ? Math.max(0, size(parsed.cidr) - RESERVED_PER_SUBNET) : null;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && ((inner.network & mask(outer.prefix)) >>> 0) === outer.network;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b) || contains(b, a);
}

/**
 * The first block of the given prefix inside the VPC's block that overlaps none of the taken
 * blocks, as a suggestion for a new subnet; null when the VPC has no room left.
 */
export function suggestSubnet(vpcBlock: string, taken: string[], prefix = 24): string | null {
  const vpc = parseCidr(vpcBlock);
  if (!vpc.ok) {
    return null;
  }
  const wanted = Math.min(MAX_PREFIX, Math.max(prefix, vpc.cidr.prefix));
  const used = taken.map(parseCidr).flatMap((r) => (r.ok ? [r.cidr] : []));
  const step = 2 ** (32 - wanted);
  const end = vpc.cidr.network + size(vpc.cidr);
  for (let network = vpc.cidr.network; network < end; network += step) {
    const candidate: Cidr = { network, prefix: wanted, text: `${numberToIp(network)}/${wanted}` };
    if (!used.some((u) => overlaps(u, candidate))) {
      return candidate.text;
    }
  }
  return null;
}
