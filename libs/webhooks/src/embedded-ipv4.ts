import { isIPv4, isIPv6 } from 'node:net';

/**
 * The IPv4 address an IPv6 address carries, for the forms that reach it over IPv4:
 * IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96, deprecated), NAT64 well-known
 * prefix (64:ff9b::/96) and 6to4 (2002::/16). Undefined for anything else.
 */
export function embeddedIPv4(address: string): string | undefined {
  const words = ipv6Words(address);
  if (!words) return undefined;
  const [w0, w1, w2, w3, w4, w5, w6, w7] = words as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zeroHead = w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0;
  if (zeroHead && w5 === 0xffff) return dotted(w6, w7);
  // ::/96 without :: and ::1, which are IPv6's own unspecified and loopback addresses.
  if (zeroHead && w5 === 0 && (w6 !== 0 || w7 > 1)) return dotted(w6, w7);
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0) return dotted(w6, w7);
  if (w0 === 0x2002) return dotted(w1, w2);
  return undefined;
}

function dotted(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit words of an IPv6 address (zone id dropped), or undefined if it is not one. */
function ipv6Words(address: string): number[] | undefined {
  const text = address.replace(/%.*$/, '');
  if (!isIPv6(text)) return undefined;
  let expanded = text;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (isIPv4(tail)) {
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    expanded = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = expanded.split('::');
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((word) => parseInt(word, 16));
  const left = parse(head);
  if (rest === undefined) return left;
  const right = parse(rest);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
