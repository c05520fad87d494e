// IP address parsing and masked comparison for pg_hba.conf matching.
// Addresses are kept as raw bytes (4 for IPv4, 16 for IPv6) so matching a
// connection against many rules is a few byte comparisons.

import { isIPv4, isIPv6 } from 'node:net';

export interface IpAddress {
  family: 4 | 6;
  bytes: Uint8Array;
}

/** Removes an IPv6 zone index ("fe80::1%eth0"); PostgreSQL ignores the scope when matching. */
function stripZone(text: string): string {
  const percent = text.indexOf('%');
  return percent < 0 ? text : text.slice(0, percent);
}

function parseIPv4Bytes(text: string, out: Uint8Array, offset: number): void {
  let octet = 0;
  let index = offset;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      out[index++] = octet;
      octet = 0;
    } else {
      octet = octet * 10 + (c - 0x30);
    }
  }
  out[index] = octet;
}

function parseIPv6Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(16);
  const doubleColon = text.indexOf('::');
  const head = doubleColon < 0 ? text : text.slice(0, doubleColon);
  const tail = doubleColon < 0 ? '' : text.slice(doubleColon + 2);
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  // An embedded dotted IPv4 address occupies the last two 16-bit groups.
  const groups = doubleColon < 0 ? headGroups : tailGroups;
  let embeddedIPv4: string | null = null;
  if (groups.length > 0 && groups[groups.length - 1].includes('.')) embeddedIPv4 = groups.pop()!;

  let position = 0;
  for (const group of headGroups) {
    const value = parseInt(group, 16);
    bytes[position++] = value >> 8;
    bytes[position++] = value & 0xff;
  }
  const tailBytes = tailGroups.length * 2 + (embeddedIPv4 !== null ? 4 : 0);
  position = doubleColon < 0 ? position : 16 - tailBytes;
  for (const group of tailGroups) {
    const value = parseInt(group, 16);
    bytes[position++] = value >> 8;
    bytes[position++] = value & 0xff;
  }
  if (embeddedIPv4 !== null) parseIPv4Bytes(embeddedIPv4, bytes, 12);
  return bytes;
}

/** Parses a numeric IPv4 or IPv6 address; returns null for anything else (host names included). */
export function parseIpAddress(text: string): IpAddress | null {
  if (isIPv4(text)) {
    const bytes = new Uint8Array(4);
    parseIPv4Bytes(text, bytes, 0);
    return { family: 4, bytes };
  }
  const bare = stripZone(text);
  if (isIPv6(bare)) return { family: 6, bytes: parseIPv6Bytes(bare) };
  return null;
}

function isIPv4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/**
 * Parses the address of a connected client. Node reports IPv4 peers of a
 * dual-stack socket as "::ffff:a.b.c.d"; PostgreSQL would have seen them on
 * an IPv4 socket, so they are returned as IPv4 and match only IPv4 rules.
 */
export function parseClientAddress(text: string): IpAddress | null {
  const address = parseIpAddress(text);
  if (address === null || address.family === 4 || !isIPv4Mapped(address.bytes)) return address;
  return { family: 4, bytes: address.bytes.slice(12) };
}

/** The textual form PostgreSQL prints for a client (getnameinfo NI_NUMERICHOST). */
export function formatIpAddress(address: IpAddress): string {
  const b = address.bytes;
  if (address.family === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i] << 8) | b[i + 1]);
  if (isIPv4Mapped(b)) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  // RFC 5952: compress the longest run (length >= 2) of zero groups.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) => groups.slice(from, to).map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** Builds a netmask with the first `bits` bits set; null if bits is out of range for the family. */
export function cidrMask(family: 4 | 6, bits: number): Uint8Array | null {
  const length = family === 4 ? 4 : 16;
  if (!Number.isInteger(bits) || bits < 0 || bits > length * 8) return null;
  const mask = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const remaining = bits - i * 8;
    mask[i] = remaining >= 8 ? 0xff : remaining <= 0 ? 0 : (0xff << (8 - remaining)) & 0xff;
  }
  return mask;
}

/** True when `client` lies in the network `network`/`mask` (families must agree, as in PostgreSQL). */
export function ipInNetwork(client: IpAddress, network: IpAddress, mask: Uint8Array): boolean {
  if (client.family !== network.family) return false;
  const a = client.bytes;
  const n = network.bytes;
  for (let i = 0; i < a.length; i++) {
    if (((a[i] ^ n[i]) & mask[i]) !== 0) return false;
  }
  return true;
}
