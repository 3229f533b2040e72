/**
 * IPv4 CIDR arithmetic for the network checks: Azure and AKS reject overlapping ranges, subnets
 * outside their VNet and ranges with host bits set only at deploy time, so the config catches them.
 * Inputs are already known to match RULES.cidr / RULES.ipv4.
 */
export interface Cidr {
  /** First address as an unsigned 32-bit number. */
  readonly first: number;
  /** Last address as an unsigned 32-bit number. */
  readonly last: number;
  readonly prefix: number;
}

export function ipToNumber(ip: string): number {
  return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

export function parseCidr(cidr: string): Cidr {
  const [ip, bits] = cidr.split("/");
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  const address = ipToNumber(ip);
  const first = address - (address % size);
  return { first, last: first + size - 1, prefix };
}

/** The same range written with its host bits cleared, e.g. "10.40.0.0/16" for "10.40.1.0/16". */
export function canonicalCidr(cidr: string): string {
  const { first, prefix } = parseCidr(cidr);
  return `${numberToIp(first)}/${prefix}`;
}

export function hasHostBits(cidr: string): boolean {
  return canonicalCidr(cidr) !== cidr;
}

export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return o.first <= i.first && i.last <= o.last;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x.first <= y.last && y.first <= x.last;
}

export function cidrContainsIp(cidr: string, ip: string): boolean {
  const { first, last } = parseCidr(cidr);
  const n = ipToNumber(ip);
  return first <= n && n <= last;
}
