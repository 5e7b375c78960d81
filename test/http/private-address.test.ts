import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../src/http/private-address.ts';

describe('isPrivateAddress', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast and reserved addresses, v4 and v6', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.255.254',
      '0.0.0.0',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.127.255.255',
      '192.0.2.1',
      '198.18.0.1',
      '224.0.0.1',
      '239.255.255.250',
      '240.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '0:0:0:0:0:ffff:a00:1',
      '::7f00:1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::1',
      '2001::1',
      '2001:db8::1',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'fe80::1%eth0',
      'ff02::1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
  });

  it('lets public unicast addresses through, IPv4-mapped ones included', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '100.128.0.1',
      '172.15.255.255',
      '172.32.0.1',
      '::ffff:8.8.8.8',
      '2606:4700:4700::1111',
      '2a00:1450::1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('refuses what is no address at all, so a name never passes unresolved', () => {
    expect(isPrivateAddress('localhost')).toBe(true);
    expect(isPrivateAddress('example.com')).toBe(true);
    expect(isPrivateAddress('')).toBe(true);
  });

  it('the URL parser turns decimal, octal, hex and mapped hosts into the address they mean', () => {
    const host = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, '');
    for (const url of ['http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f.1/', 'http://127.1/']) {
      expect(host(url), url).toBe('127.0.0.1');
    }
    expect(host('http://[::ffff:127.0.0.1]/')).toBe('::ffff:7f00:1');
    expect(host('http://[0:0:0:0:0:0:0:1]/')).toBe('::1');
    for (const url of [
      'http://2130706433/',
      'http://[::ffff:127.0.0.1]/',
      'http://0x0a.1/',
      'http://2852039166/',
    ]) {
      expect(isPrivateAddress(host(url)), url).toBe(true);
    }
  });
});
