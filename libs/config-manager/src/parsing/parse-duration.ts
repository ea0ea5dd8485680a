import { accept, refuse, type Parser } from './parse-result';

const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const DURATION = /^(\d+)\s*([smhd])?$/i;

/** A positive duration in whole seconds: `90`, `90s`, `15m`, `12h` or `7d`, within [min, max] seconds. */
export function durationSecondsBetween(min: number, max: number): Parser<number> {
  return (raw) => {
    const match = DURATION.exec(raw.trim());
    if (!match) return refuse('must be a number of seconds, or a duration like 30s, 15m, 12h or 7d');
    const seconds = Number(match[1]) * (SECONDS_PER_UNIT[(match[2] ?? 's').toLowerCase()] ?? 1);
    if (!Number.isSafeInteger(seconds) || seconds < min || seconds > max) {
      return refuse(`must be from ${min} to ${max} seconds`);
    }
    return accept(seconds);
  };
}
