import { parseIPv6 } from './ip-address';
import { hostForAddress, parseHost } from './parse-host';
import { parsePort } from './parse-integer';
import { accept, refuse, type Parser } from './parse-result';

export interface HostPort {
  host: string;
  port: number;
  /** `host:port`, IPv6 hosts in brackets. */
  address: string;
}

const EXPECTATION = 'must be host:port, e.g. temporal:7233 or [::1]:7233 (IPv6 in brackets)';

/** `host`, `host:port`, `[ipv6]` or `[ipv6]:port`; `defaultPort` applies when no port is given. */
export function hostPort(defaultPort: number): Parser<HostPort> {
  return (raw) => {
    const text = raw.trim();
    let hostText: string;
    let portText: string | undefined;
    const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
    if (bracketed) {
      hostText = bracketed[1] ?? '';
      portText = bracketed[2];
      if (!parseIPv6(hostText)) return refuse(`${EXPECTATION}: only IPv6 addresses go in brackets`);
    } else {
      const parts = text.split(':');
      if (parts.length > 2) return refuse(EXPECTATION);
      hostText = parts[0] ?? '';
      portText = parts[1];
    }
    const host = parseHost(hostText);
    if (!host.ok) return refuse(`${EXPECTATION}: the host ${host.reason}`);
    let port = defaultPort;
    if (portText !== undefined) {
      const parsedPort = parsePort(portText);
      if (!parsedPort.ok) return refuse(`${EXPECTATION}: the port ${parsedPort.reason}`);
      port = parsedPort.value;
    }
    return accept({ host: host.value, port, address: `${hostForAddress(host.value)}:${port}` });
  };
}
