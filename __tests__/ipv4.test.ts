import { canonicalCidr, cidrContains, cidrContainsIp, cidrsOverlap, hasHostBits, numberToIp, parseCidr } from "../config/ipv4";

describe("IPv4 CIDR arithmetic", () => {
  test("finds a range's first and last address, also above 2^31 and for /0 and /32", () => {
    expect(parseCidr("10.40.0.0/16")).toEqual({ first: 0x0a280000, last: 0x0a28ffff, prefix: 16 });
    expect(numberToIp(parseCidr("192.168.1.0/24").last)).toBe("192.168.1.255");
    expect(parseCidr("0.0.0.0/0")).toEqual({ first: 0, last: 2 ** 32 - 1, prefix: 0 });
    expect(parseCidr("255.255.255.255/32")).toEqual({ first: 2 ** 32 - 1, last: 2 ** 32 - 1, prefix: 32 });
  });

  test("detects host bits and names the range the user probably meant", () => {
    expect(hasHostBits("10.40.1.0/16")).toBe(true);
    expect(canonicalCidr("10.40.1.0/16")).toBe("10.40.0.0/16");
    expect(hasHostBits("10.40.16.0/24")).toBe(false);
    expect(hasHostBits("203.0.113.7/32")).toBe(false);
  });

  test("tells containment from overlap at the range edges", () => {
    expect(cidrContains("10.40.0.0/16", "10.40.255.0/24")).toBe(true);
    expect(cidrContains("10.40.0.0/16", "10.41.0.0/24")).toBe(false);
    expect(cidrContains("10.40.0.0/24", "10.40.0.0/16")).toBe(false);
    expect(cidrsOverlap("10.40.0.0/20", "10.40.15.0/24")).toBe(true);
    expect(cidrsOverlap("10.40.0.0/20", "10.40.16.0/24")).toBe(false);
    expect(cidrContainsIp("10.0.0.0/16", "10.0.255.255")).toBe(true);
    expect(cidrContainsIp("10.0.0.0/16", "10.1.0.0")).toBe(false);
  });
});
