import { describe, expect, it } from 'vitest';
import { createMachineRules } from '../../src/clicks/machine-rules.ts';
import { loadConfig } from '../../src/config.ts';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const get = { method: 'GET', userAgent: CHROME, purpose: '', ip: '198.51.100.7' };

describe('machine rules of a click request', () => {
  const rules = createMachineRules({ CLICK_MACHINE_UA: [], CLICK_MACHINE_NETS: [] });

  it('leaves a browser GET to the timing rules', () => {
    expect(rules(get)).toBe('click');
    expect(rules({ ...get, ip: '2001:db8::1' })).toBe('click');
    expect(rules({ ...get, ip: 'unknown' })).toBe('click');
  });

  it('takes HEAD, prefetches, no user agent and known scanners for machines', () => {
    expect(rules({ ...get, method: 'HEAD' })).toBe('machine');
    expect(rules({ ...get, purpose: 'prefetch' })).toBe('machine');
    expect(rules({ ...get, purpose: 'prefetch;prerender' })).toBe('machine');
    expect(rules({ ...get, userAgent: '' })).toBe('machine');
    expect(rules({ ...get, userAgent: 'Barracuda Sentinel (EE)' })).toBe('machine');
    expect(rules({ ...get, userAgent: 'python-requests/2.31.0' })).toBe('machine');
    expect(rules({ ...get, userAgent: CHROME.replace('Chrome/', 'HeadlessChrome/') })).toBe('machine');
    expect(rules({ ...get, ip: '64.235.150.9' })).toBe('machine'); // Barracuda's published range
  });

  it('adds the operator lists from the configuration (CLICK_MACHINE_UA, CLICK_MACHINE_NETS)', () => {
    const config = loadConfig({
      GAZETTE_SECRET: 'x'.repeat(32),
      CLICK_MACHINE_UA: 'ExampleGateway/, other-scanner',
      CLICK_MACHINE_NETS: '192.0.2.0/24, 2001:db8:5::/48',
    });
    const mine = createMachineRules(config);
    expect(mine({ ...get, userAgent: `${CHROME} examplegateway/4.1` })).toBe('machine');
    expect(mine({ ...get, userAgent: 'Other-Scanner' })).toBe('machine');
    expect(mine({ ...get, ip: '192.0.2.200' })).toBe('machine');
    expect(mine({ ...get, ip: '2001:db8:5:1::9' })).toBe('machine');
    expect(mine({ ...get, ip: '192.0.3.1' })).toBe('click');
    expect(() => loadConfig({ GAZETTE_SECRET: 'x'.repeat(32), CLICK_MACHINE_NETS: '192.0.2.0' })).toThrow(
      /CLICK_MACHINE_NETS/,
    );
  });
});
