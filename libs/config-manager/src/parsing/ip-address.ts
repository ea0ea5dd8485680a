/** An IP address as bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddress {
  family: 4 | 6;
  bytes: number[];
}

/** Strict dotted-quad IPv4: four decimal numbers 0-255 without leading zeros. */
export function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    bytes.push(Number(part));
  }
  return bytes;
}

function parseIPv6Groups(text: string, allowTrailingIPv4: boolean): number[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  const bytes: number[] = [];
  for (const [index, group] of groups.entries()) {
    if (allowTrailingIPv4 && index === groups.length - 1 && group.includes('.')) {
      const ipv4 = parseIPv4(group);
      if (!ipv4) return undefined;
      bytes.push(...ipv4);
    } else if (/^[0-9a-f]{1,4}$/i.test(group)) {
      const value = parseInt(group, 16);
      bytes.push(value >> 8, value & 0xff);
    } else {
      return undefined;
    }
  }
  return bytes;
}

/** IPv6 in its text forms (`::` shorthand, trailing dotted IPv4). Zone ids (`%eth0`) are refused. */
export function parseIPv6(text: string): number[] | undefined {
  const gap = text.indexOf('::');
  if (gap !== text.lastIndexOf('::')) return undefined;
  if (gap === -1) {
    const bytes = parseIPv6Groups(text, true);
    return bytes?.length === 16 ? bytes : undefined;
  }
  const head = parseIPv6Groups(text.slice(0, gap), false);
  const tail = parseIPv6Groups(text.slice(gap + 2), true);
  if (!head || !tail) return undefined;
  const missing = 16 - head.length - tail.length;
  if (missing < 2) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

export function parseIpAddress(text: string): IpAddress | undefined {
  const ipv4 = parseIPv4(text);
  if (ipv4) return { family: 4, bytes: ipv4 };
  const ipv6 = parseIPv6(text);
  return ipv6 ? { family: 6, bytes: ipv6 } : undefined;
}

export function isIpAddress(text: string): boolean {
  return parseIpAddress(text) !== undefined;
}
