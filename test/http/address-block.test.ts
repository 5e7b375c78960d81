import { describe, expect, it } from 'vitest';
import { addressBlock } from '../../src/http/address-block.ts';

describe('addressBlock', () => {
  it('keeps an IPv4 address and anything that is not an address', () => {
    expect(addressBlock('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBlock('unknown')).toBe('unknown');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const block = '2001:db8:1:2::/64';
    for (const ip of [
      '2001:db8:1:2::1',
      '2001:DB8:1:2:ffff:ffff:ffff:ffff',
      '2001:0db8:0001:0002:0:0:0:9',
      '2001:db8:1:2:a::1.2.3.4',
      '2001:db8:1:2::1%eth0',
    ]) {
      expect(addressBlock(ip), ip).toBe(block);
    }
    expect(addressBlock('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressBlock('::1')).toBe('0:0:0:0::/64');
    expect(addressBlock('1::2:3:4:5:1.2.3.4')).toBe('1:0:2:3::/64');
  });
});
