import { describe, expect, it } from 'vitest';
import { displayAddress, parseAllowList } from '../../app/simulator/ip-allow-list.ts';

describe('IP allow-list', () => {
  it('matches single IPv4 addresses exactly', () => {
    const list = parseAllowList(['192.168.1.20']);
    expect(list.allows('192.168.1.20')).toBe(true);
    expect(list.allows('192.168.1.21')).toBe(false);
  });

  it('matches IPv4 CIDR networks at their boundaries', () => {
    const list = parseAllowList(['10.0.0.0/8', '172.16.4.0/22']);
    expect(list.allows('10.0.0.0')).toBe(true);
    expect(list.allows('10.255.255.255')).toBe(true);
    expect(list.allows('11.0.0.0')).toBe(false);
    expect(list.allows('172.16.7.255')).toBe(true);
    expect(list.allows('172.16.8.0')).toBe(false);
    expect(list.allows('172.16.3.255')).toBe(false);
  });

  it('normalises a CIDR whose address has host bits set', () => {
    expect(parseAllowList(['192.168.1.77/24']).allows('192.168.1.3')).toBe(true);
  });

  it('treats /0 as everything of that family only', () => {
    const list = parseAllowList(['0.0.0.0/0']);
    expect(list.allows('8.8.8.8')).toBe(true);
    expect(list.allows('2001:db8::1')).toBe(false);
  });

  it('matches IPv6 addresses in any spelling and IPv6 networks', () => {
    const list = parseAllowList(['::1', '2001:db8:abcd::/48']);
    expect(list.allows('::1')).toBe(true);
    expect(list.allows('0:0:0:0:0:0:0:1')).toBe(true);
    expect(list.allows('2001:0db8:abcd:0012:0000:0000:0000:0001')).toBe(true);
    expect(list.allows('2001:db8:abce::1')).toBe(false);
    expect(list.allows('::2')).toBe(false);
  });

  it('ignores an IPv6 zone on the caller address', () => {
    expect(parseAllowList(['fe80::/10']).allows('fe80::1%eth0')).toBe(true);
  });

  it('treats IPv4-mapped IPv6 callers as IPv4', () => {
    const list = parseAllowList(['127.0.0.0/8']);
    expect(list.allows('::ffff:127.0.0.1')).toBe(true);
    expect(list.allows('::ffff:7f00:1')).toBe(true);
    expect(list.allows('::ffff:128.0.0.1')).toBe(false);
  });

  it('treats IPv4-mapped IPv6 entries as IPv4 networks', () => {
    const list = parseAllowList(['::ffff:10.0.0.0/104']);
    expect(list.allows('10.20.30.40')).toBe(true);
    expect(list.allows('11.0.0.1')).toBe(false);
  });

  it('does not let an IPv4 entry match an IPv6 caller or the reverse', () => {
    expect(parseAllowList(['127.0.0.1']).allows('::1')).toBe(false);
    expect(parseAllowList(['::1']).allows('127.0.0.1')).toBe(false);
  });

  it('refuses callers it cannot parse', () => {
    expect(parseAllowList(['0.0.0.0/0']).allows('not-an-address')).toBe(false);
    expect(parseAllowList(['0.0.0.0/0']).allows('')).toBe(false);
  });

  it('rejects malformed entries with a message naming the entry', () => {
    expect(() => parseAllowList(['10.0.0.0/33'])).toThrow(/"10\.0\.0\.0\/33".*0 to 32/);
    expect(() => parseAllowList(['::/129'])).toThrow(/0 to 128/);
    expect(() => parseAllowList(['300.1.1.1'])).toThrow(/"300\.1\.1\.1" is not an IP address/);
    expect(() => parseAllowList(['localhost'])).toThrow(/not an IP address or CIDR/);
    expect(() => parseAllowList(['10.0.0.0/8/8'])).toThrow(/not an IP address/);
    expect(() => parseAllowList(['10.0.0.0/x'])).toThrow(/invalid prefix length/);
  });

  it('shows callers as people write them', () => {
    expect(displayAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(displayAddress('10.1.2.3')).toBe('10.1.2.3');
    expect(displayAddress('fe80::1%eth0')).toBe('fe80::1');
  });
});
