// An API key's IP allow-list: single addresses and CIDR networks, IPv4 and IPv6.
// The AFT! list format is undocumented; Syncplify's other server accepts exactly these forms.
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are treated as the IPv4 address they carry,
// because a dual-stack listener reports IPv4 callers that way.
import { isIPv4, isIPv6 } from 'node:net';

interface Network {
  family: 4 | 6;
  bits: bigint;
  prefixLength: number;
}

export interface AllowList {
  /** The entries as given, for display. */
  readonly entries: readonly string[];
  allows(address: string): boolean;
}

const IPV4_MAPPED_PREFIX = 0xffffn << 32n;
const IPV4_MAPPED_MASK = ((1n << 96n) - 1n) << 32n;

function ipv4ToBits(address: string): bigint {
  return address.split('.').reduce((bits, octet) => (bits << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBits(address: string): bigint {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) stands for the last two 16-bit groups.
    const v4 = ipv4ToBits(last);
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeroGroups = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...new Array<string>(zeroGroups).fill('0'), ...tailGroups].reduce(
    (bits, group) => (bits << 16n) | BigInt(parseInt(group, 16)),
    0n,
  );
}

/** Parses an address (IPv6 zone suffix ignored) to its family and bits, IPv4-mapped folded to IPv4. */
function parseAddress(text: string): { family: 4 | 6; bits: bigint } | undefined {
  const address = text.trim().replace(/%.*$/, '');
  if (isIPv4(address)) return { family: 4, bits: ipv4ToBits(address) };
  if (isIPv6(address)) {
    const bits = ipv6ToBits(address);
    if ((bits & IPV4_MAPPED_MASK) === IPV4_MAPPED_PREFIX) {
      return { family: 4, bits: bits & 0xffffffffn };
    }
    return { family: 6, bits };
  }
  return undefined;
}

function familyWidth(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function maskFor(family: 4 | 6, prefixLength: number): bigint {
  const width = BigInt(familyWidth(family));
  const hostBits = width - BigInt(prefixLength);
  return ((1n << width) - 1n) ^ ((1n << hostBits) - 1n);
}

function parseEntry(entry: string): Network {
  const [addressText = '', prefixText, extra] = entry.trim().split('/');
  const address = parseAddress(addressText);
  if (address === undefined || extra !== undefined) {
    throw new Error(
      `"${entry}" is not an IP address or CIDR network (examples: 192.168.1.20, 10.0.0.0/8, ::1, fd00::/8).`,
    );
  }
  const ipv4MappedInIpv6 = address.family === 4 && isIPv6(addressText.trim());
  let prefixLength = familyWidth(address.family);
  if (prefixText !== undefined) {
    const given = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    const maximum = ipv4MappedInIpv6 ? 128 : familyWidth(address.family);
    const minimum = ipv4MappedInIpv6 ? 96 : 0;
    if (!(given >= minimum && given <= maximum)) {
      throw new Error(
        `"${entry}" has an invalid prefix length: use a number from ${minimum} to ${maximum}.`,
      );
    }
    prefixLength = ipv4MappedInIpv6 ? given - 96 : given;
  }
  const mask = maskFor(address.family, prefixLength);
  return { family: address.family, bits: address.bits & mask, prefixLength };
}

/** Throws an Error naming the first entry that is neither an address nor a CIDR network. */
export function parseAllowList(entries: readonly string[]): AllowList {
  const networks = entries.map(parseEntry);
  return {
    entries: [...entries],
    allows(address: string): boolean {
      const caller = parseAddress(address);
      if (caller === undefined) return false;
      return networks.some(
        (network) =>
          network.family === caller.family &&
          (caller.bits & maskFor(network.family, network.prefixLength)) === network.bits,
      );
    },
  };
}

/** The caller's address as people write it: IPv4-mapped IPv6 shown as plain IPv4, zone dropped. */
export function displayAddress(address: string): string {
  const parsed = parseAddress(address);
  if (parsed?.family === 4) {
    const bits = parsed.bits;
    return [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 0xffn)).join('.');
  }
  return address.replace(/%.*$/, '');
}
