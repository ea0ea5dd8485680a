/** Thrown when a port scope such as "22,80,8000-8100" is malformed or out of range. */
export class PortScopeError extends RangeError {
  override readonly name = 'PortScopeError';
}

const MIN_PORT = 1;
const MAX_PORT = 65_535;
const ENTRY = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/**
 * Parses a comma-separated list of ports and inclusive ranges ("22,80,8000-8100")
 * into a sorted list of unique ports. White space around entries is ignored.
 */
export function parsePortScope(scope: string): number[] {
  const entries = scope.split(',').map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === '') throw new PortScopeError('port scope is empty');
  const ports = new Set<number>();
  for (const entry of entries) {
    const match = ENTRY.exec(entry);
    if (!match) throw new PortScopeError(`"${entry}" is not a port or a port range`);
    const low = toPort(match[1] as string);
    const high = match[2] === undefined ? low : toPort(match[2]);
    if (high < low) throw new PortScopeError(`range "${entry}" ends before it starts`);
    for (let port = low; port <= high; port += 1) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

/** Whether a value is an integer TCP port, 1-65535. */
export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= MIN_PORT && port <= MAX_PORT;
}

function toPort(text: string): number {
  const port = Number(text);
  if (!isValidPort(port)) throw new PortScopeError(`port ${text} is outside ${MIN_PORT}-${MAX_PORT}`);
  return port;
}
