import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Every range that is not a public unicast address: IANA's IPv4 and IPv6 special-purpose registries
 * (RFC 6890 and its updates): a link check never reaches this machine, its network or a cloud's
 * metadata service (169.254.169.254), and /health tells node addresses only to this network. Ranges that carry an IPv4 address inside an IPv6 one (NAT64,
 * 6to4, Teredo, IPv4-compatible) are refused whole: their embedded address could be any of the above.
 * An IPv4-mapped address (`::ffff:7f00:1`) is checked by BlockList against the IPv4 ranges.
 */
const RANGES: [address: string, prefix: number, family: 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"
  ['10.0.0.0', 8, 'ipv4'], // private
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'], // loopback
  ['169.254.0.0', 16, 'ipv4'], // link-local, cloud metadata
  ['172.16.0.0', 12, 'ipv4'], // private
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['192.0.2.0', 24, 'ipv4'], // documentation
  ['192.88.99.0', 24, 'ipv4'], // 6to4 relay anycast
  ['192.168.0.0', 16, 'ipv4'], // private
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['198.51.100.0', 24, 'ipv4'], // documentation
  ['203.0.113.0', 24, 'ipv4'], // documentation
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 96, 'ipv6'], // unspecified, loopback, IPv4-compatible
  ['64:ff9b::', 96, 'ipv6'], // NAT64
  ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ['100::', 64, 'ipv6'], // discard
  ['2001::', 23, 'ipv6'], // IETF protocol assignments, Teredo
  ['2001:db8::', 32, 'ipv6'], // documentation
  ['2002::', 16, 'ipv6'], // 6to4
  ['3fff::', 20, 'ipv6'], // documentation
  ['5f00::', 16, 'ipv6'], // segment routing
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['fec0::', 10, 'ipv6'], // site-local (deprecated)
  ['ff00::', 8, 'ipv6'], // multicast
];

let blocked: BlockList | undefined;

/**
 * True for an IP address (v4 or v6, IPv4-mapped included) that is loopback, private, link-local,
 * carrier-grade NAT, multicast or otherwise reserved; also true for text that is no IP address at all,
 * so a caller that forgot to resolve a name is refused rather than let through.
 */
export function isPrivateAddress(address: string): boolean {
  blocked ??= new BlockList();
  if (blocked.rules.length === 0) {
    for (const [net, prefix, family] of RANGES) blocked.addSubnet(net, prefix, family);
  }
  // A zone (fe80::1%eth0) names an interface of this machine: link-local, refused with its range.
  const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(plain)) return blocked.check(plain, 'ipv4');
  if (isIPv6(plain)) return blocked.check(plain, 'ipv6');
  return true;
}
