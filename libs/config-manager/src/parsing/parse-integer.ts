import { accept, refuse, type Parser } from './parse-result';

/** A whole number within [min, max], written in decimal. */
export function integerBetween(min: number, max: number): Parser<number> {
  return (raw) => {
    const text = raw.trim();
    const value = Number(text);
    if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
      return refuse(`must be a whole number from ${min} to ${max}`);
    }
    return accept(value);
  };
}

/** A TCP port, 1 to 65535. */
export const parsePort: Parser<number> = (raw) => {
  const result = integerBetween(1, 65535)(raw);
  return result.ok ? result : refuse('must be a TCP port from 1 to 65535');
};
