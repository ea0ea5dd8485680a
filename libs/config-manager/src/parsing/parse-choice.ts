import { accept, refuse, type Parser } from './parse-result';

/** One of a fixed set of words; with `ignoreCase` the answer is the canonical (listed) spelling. */
export function oneOf<const T extends string>(
  choices: readonly T[],
  options: { ignoreCase?: boolean } = {},
): Parser<T> {
  return (raw) => {
    const text = raw.trim();
    const found = choices.find((choice) =>
      options.ignoreCase ? choice.toLowerCase() === text.toLowerCase() : choice === text,
    );
    return found === undefined ? refuse(`must be one of: ${choices.join(', ')}`) : accept(found);
  };
}
