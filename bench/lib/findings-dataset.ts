import { CHECKS, type CheckId } from '@xorb/scanner';

/** Deterministic PRNG (mulberry32), so every run embeds the same findings. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'al',
  'be',
  'cor',
  'da',
  'el',
  'fen',
  'gar',
  'hol',
  'is',
  'jun',
  'ka',
  'lor',
  'mi',
  'nor',
  'os',
  'pra',
  'qui',
  'ras',
  'sol',
  'tur',
  'um',
  'vel',
  'wen',
  'xa',
  'yor',
  'zel',
  'ban',
  'cit',
  'dor',
  'eth',
];
const PRODUCTS = [
  'nginx',
  'Apache',
  'Caddy',
  'Envoy',
  'Jetty',
  'Kestrel',
  'lighttpd',
  'gunicorn',
  'Tomcat',
  'IIS',
];
const PORTS = [21, 22, 23, 25, 80, 443, 2375, 3000, 5000, 6379, 8000, 8080, 8443, 9000, 9200];
const TLDS = ['com', 'net', 'io', 'dev', 'cloud', 'internal', 'org', 'app'];
const SERVICES = [
  'web front',
  'admin console',
  'API gateway',
  'metrics endpoint',
  'staging site',
  'mail relay',
  'cache',
  'registry',
];

export interface GeneratedFinding {
  checkId: CheckId;
  title: string;
  description: string;
  severity: string;
  cwe: string;
  remediation: string;
  evidence: Record<string, unknown>;
  port: number;
  fingerprint: string;
}

/** `count` distinct, plausible findings (titles, descriptions and evidence vary per host and port). */
export function generateFindings(count: number, seed: number): GeneratedFinding[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const word = () => pick(SYLLABLES) + pick(SYLLABLES) + (random() < 0.5 ? pick(SYLLABLES) : '');
  const checkIds = Object.keys(CHECKS) as CheckId[];
  const findings: GeneratedFinding[] = [];
  for (let index = 0; index < count; index += 1) {
    const checkId = pick(checkIds);
    const check = CHECKS[checkId];
    const host = `${word()}-${word()}${Math.floor(random() * 100)}.${word()}.${pick(TLDS)}`;
    const port = pick(PORTS);
    const service = pick(SERVICES);
    const server = `${pick(PRODUCTS)}/${1 + Math.floor(random() * 3)}.${Math.floor(random() * 30)}.${Math.floor(random() * 10)}`;
    const words = Array.from({ length: 4 + Math.floor(random() * 8) }, word).join(' ');
    findings.push({
      checkId,
      title: `${check.title} on ${host}:${port}`,
      description: `${check.summary} Seen on the ${service} ${host} (port ${port}), tagged ${words}.`,
      severity: check.severity,
      cwe: check.cwe,
      remediation: check.remediation,
      evidence: {
        host,
        port,
        server,
        observedVia: random() < 0.5 ? 'https' : 'http',
        note: words,
      },
      port,
      fingerprint: `bench:${seed}:${index}`,
    });
  }
  return findings;
}
