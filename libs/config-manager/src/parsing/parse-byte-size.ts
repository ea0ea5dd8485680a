import { accept, refuse, type Parser } from './parse-result';

const MULTIPLIERS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
// Docker-style sizes: a number and an optional unit b, k, m or g (kb/kib/mb/... also accepted), any case.
const BYTE_SIZE = /^(\d+(?:\.\d+)?)\s*(?:(b)|([kmg])(?:i?b)?)?$/i;

function formatSize(bytes: number): string {
  for (const unit of ['g', 'm', 'k'] as const) {
    const multiplier = MULTIPLIERS[unit] ?? 1;
    if (bytes >= multiplier && bytes % multiplier === 0) return `${bytes / multiplier}${unit}`;
  }
  return `${bytes}b`;
}

/** Sizes like 512m, 1g, 256M, 1.5G or 1mb (binary multiples: 1k = 1024 bytes), within [min, max] bytes. */
export function byteSizeBetween(min: number, max: number): Parser<number> {
  return (raw) => {
    const match = BYTE_SIZE.exec(raw.trim());
    const unit = (match?.[2] ?? match?.[3] ?? 'b').toLowerCase();
    const bytes = match ? Math.floor(Number(match[1]) * (MULTIPLIERS[unit] ?? 1)) : Number.NaN;
    if (!match || (unit === 'b' && match[1]?.includes('.'))) {
      return refuse('must be a size like 512m, 1g or 1.5G (units b, k, m, g, any case)');
    }
    if (bytes < min || bytes > max)
      return refuse(`must be a size from ${formatSize(min)} to ${formatSize(max)}`);
    return accept(bytes);
  };
}
