import { STOP_WORDS } from './stop-words';

/** Counts of each feature of a text, by kind. */
export interface TextFeatures {
  words: Map<string, number>;
  wordBigrams: Map<string, number>;
  charGrams: Map<string, number>;
}

export interface FeatureOptions {
  minCharGram: number;
  maxCharGram: number;
  /** Longer texts are cut here (after normalisation) to bound CPU time. */
  maxChars: number;
}

// A token, possibly compound: "x-powered-by", "tlsv1.1", "443/tcp", "redis.example.com:6379".
const COMPOUND = /[\p{L}\p{N}]+(?:[._\-:/@][\p{L}\p{N}]+)*/gu;
const PART = /[\p{L}\p{N}]+/gu;
const SURROGATE = /[\uD800-\uDFFF]/;

/** Unicode-normalised (NFKC), lower-cased text. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * Word unigrams (each part of a compound token, and the compound itself), word bigrams over
 * consecutive parts, and character n-grams of each word padded with `<` and `>`.
 */
export function extractFeatures(text: string, options: FeatureOptions): TextFeatures {
  const features: TextFeatures = { words: new Map(), wordBigrams: new Map(), charGrams: new Map() };
  const normalised = normaliseText(text).slice(0, options.maxChars);
  let previous: string | undefined;
  for (const [compound] of normalised.matchAll(COMPOUND)) {
    const parts = compound.match(PART) ?? [];
    if (parts.length > 1) increment(features.words, compound);
    for (const part of parts) {
      if (previous !== undefined) increment(features.wordBigrams, `${previous} ${part}`);
      previous = part;
      if (STOP_WORDS.has(part)) continue;
      increment(features.words, part);
      addCharGrams(features.charGrams, part, options);
    }
  }
  return features;
}

function addCharGrams(into: Map<string, number>, word: string, options: FeatureOptions): void {
  const padded = `<${word}>`;
  // Slice by code point so astral characters are never split into lone surrogates.
  const codePoints = SURROGATE.test(padded) ? Array.from(padded) : undefined;
  const length = codePoints?.length ?? padded.length;
  for (let n = options.minCharGram; n <= options.maxCharGram; n++) {
    for (let start = 0; start + n <= length; start++) {
      const gram = codePoints ? codePoints.slice(start, start + n).join('') : padded.slice(start, start + n);
      increment(into, gram);
    }
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
