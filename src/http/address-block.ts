import { isIP } from 'node:net';

/**
 * The block a client address is counted by in per-address limits: an IPv4 address itself, an IPv6
 * address's /64 (one home line or server is handed a whole /64, so counting single IPv6 addresses
 * would give one client 2^64 fresh counters). Anything else (`unknown`) is returned as it is.
 */
export function addressBlock(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail] = ip.toLowerCase().split('%')[0]?.split('::') ?? [];
  const groups = (part: string) => (part ? part.split(':') : []);
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  // An embedded IPv4 address (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) fills two groups.
  const filled = front.length + back.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const all = [...front, ...Array<string>(Math.max(0, 8 - filled)).fill('0'), ...back];
  return `${all
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
