import { BlockList, isIP } from 'node:net';
import type { Config } from '../config.ts';

/**
 * User-agent substrings (compared in lower case) of link scanners and HTTP libraries that no person's
 * browser sends. Sources: Barracuda's "Barracuda Sentinel (EE)" (Crawler-Detect issue #552); headless
 * Chrome, which scanners that render pages drive ("HeadlessChrome"); and the default agents of the
 * libraries scanners and scripts are written with (python-requests, Go's net/http, curl, Wget, OkHttp,
 * Java, libwww-perl, Python's urllib/aiohttp, Node's undici and axios), seen clicking in
 * putyourlightson/craft-campaign#546 and mautic/mautic#16263. Operators add more with CLICK_MACHINE_UA.
 */
const SCANNER_AGENTS = [
  'barracuda sentinel',
  'headlesschrome',
  'python-requests',
  'python-urllib',
  'aiohttp',
  'go-http-client',
  'curl/',
  'wget/',
  'okhttp',
  'java/',
  'libwww-perl',
  'undici',
  'axios/',
];

/**
 * Networks of mail gateways that fetch links from the messages they filter: Barracuda Email Security
 * Service's published ranges (Barracuda Campus, "Email Security Service IP ranges"). Microsoft Defender
 * Safe Links fetches from Azure addresses shared with everything else, so no range can name it; the
 * timing rules catch it. Operators add their readers' gateways with CLICK_MACHINE_NETS.
 */
const SCANNER_NETS = ['64.235.144.0/20', '209.222.80.0/21'];

/** What a request for a click URL is before any timing is known. */
export type ClickKind =
  /** May be a person's: the click store decides by timing (trap hits and bursts around it). */
  | 'click'
  /** A machine's for certain: HEAD, a prefetch, a known scanner's agent or network. */
  | 'machine';

/** The parts of a request the rules read. */
export interface ClickRequest {
  method: string;
  userAgent: string;
  /** `Purpose` / `Sec-Purpose` header (prefetch, prerender); empty when absent. */
  purpose: string;
  /** The client's address (src/http/client-ip.ts). */
  ip: string;
}

/** The request-level machine rules, with the built-in lists and the operator's (CLICK_MACHINE_UA, CLICK_MACHINE_NETS). */
export function createMachineRules(config: Pick<Config, 'CLICK_MACHINE_UA' | 'CLICK_MACHINE_NETS'>) {
  const agents = [...SCANNER_AGENTS, ...config.CLICK_MACHINE_UA.map((a) => a.toLowerCase())];
  const nets = new BlockList();
  for (const cidr of [...SCANNER_NETS, ...config.CLICK_MACHINE_NETS]) {
    const [address, bits] = cidr.split('/') as [string, string];
    nets.addSubnet(address, Number(bits), isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  const listed = (ip: string) => {
    const family = isIP(ip);
    return family !== 0 && nets.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  };

  /** 'machine' when the request alone shows a machine; else 'click', for the timing rules to judge. */
  return (r: ClickRequest): ClickKind => {
    // Browsers send a GET when a person clicks; HEAD and prefetches are software looking ahead.
    if (r.method !== 'GET' || /prefetch|prerender/i.test(r.purpose)) return 'machine';
    const agent = r.userAgent.toLowerCase();
    if (agent === '' || agents.some((a) => agent.includes(a))) return 'machine';
    return listed(r.ip) ? 'machine' : 'click';
  };
}
