import { type EmbeddingProvider } from '../embedding-provider';
import { murmur3 } from './murmur3';
import { extractFeatures, type FeatureOptions } from './text-features';

/** Identifies the feature set and hashing; change it whenever vectors would change. */
export const LOCAL_HASHING_MODEL = 'xorb-hashing-v1';

export interface LocalHashingEmbedderOptions {
  dimensions: number;
  /** Texts longer than this (after normalisation) are cut, bounding CPU time. Default 65 536. */
  maxChars?: number;
}

interface FeatureGroup {
  pick: (features: ReturnType<typeof extractFeatures>) => Map<string, number>;
  seed: number;
  weight: number;
}

// Each kind of feature is normalised on its own and then mixed with these weights, so
// the many character n-grams of a text cannot drown its words.
const GROUPS: readonly FeatureGroup[] = [
  { pick: (f) => f.words, seed: 0x2f1a6b3d, weight: 1 },
  { pick: (f) => f.wordBigrams, seed: 0x5bd1e995, weight: 0.6 },
  { pick: (f) => f.charGrams, seed: 0x1b873593, weight: 1 },
];
const EMPTY_TEXT_FEATURE = '\u0000empty';
const DEFAULT_MAX_CHARS = 65_536;

/**
 * The default provider: signed feature hashing (MurmurHash3) of word unigrams and bigrams
 * and character 3- to 5-grams, with sublinear term frequency, L2-normalised so that cosine
 * similarity equals the dot product. No model and no network: the same text always gives
 * the same vector, in every process. Text without any word gets one fixed unit vector.
 */
export class LocalHashingEmbedder implements EmbeddingProvider {
  readonly name = 'local';
  readonly model = LOCAL_HASHING_MODEL;
  readonly dimensions: number;
  private readonly featureOptions: FeatureOptions;

  constructor(options: LocalHashingEmbedderOptions) {
    if (!Number.isSafeInteger(options.dimensions) || options.dimensions < 1) {
      throw new RangeError(`dimensions must be a positive integer, got ${options.dimensions}`);
    }
    this.dimensions = options.dimensions;
    this.featureOptions = { minCharGram: 3, maxCharGram: 5, maxChars: options.maxChars ?? DEFAULT_MAX_CHARS };
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const vectors: number[][] = [];
    for (const text of texts) {
      signal?.throwIfAborted();
      vectors.push(this.embedOne(text));
    }
    return vectors;
  }

  /** The vector of one text, synchronously. */
  embedOne(text: string): number[] {
    const features = extractFeatures(text, this.featureOptions);
    const vector = new Float64Array(this.dimensions);
    let any = false;
    for (const group of GROUPS) {
      const counts = group.pick(features);
      if (counts.size === 0) continue;
      any = true;
      addScaled(vector, this.hashGroup(counts, group.seed), group.weight);
    }
    if (!any) this.addFeature(vector, EMPTY_TEXT_FEATURE, 0, 1);
    return Array.from(scaleToUnit(vector));
  }

  /** The group's features hashed into one unit vector. */
  private hashGroup(counts: Map<string, number>, seed: number): Float64Array {
    const vector = new Float64Array(this.dimensions);
    for (const [feature, count] of counts) this.addFeature(vector, feature, seed, 1 + Math.log(count));
    return scaleToUnit(vector);
  }

  private addFeature(vector: Float64Array, feature: string, seed: number, weight: number): void {
    const hash = murmur3(feature, seed);
    // The low 31 bits pick the bucket, the top bit the sign, so collisions tend to cancel out.
    const bucket = (hash & 0x7fffffff) % this.dimensions;
    vector[bucket] = (vector[bucket] ?? 0) + (hash & 0x80000000 ? -weight : weight);
  }
}

function addScaled(into: Float64Array, vector: Float64Array, weight: number): void {
  for (let i = 0; i < into.length; i++) into[i] = (into[i] ?? 0) + weight * (vector[i] ?? 0);
}

/** Scales the vector in place to length 1; a zero vector stays zero (never NaN). */
function scaleToUnit(vector: Float64Array): Float64Array {
  let sumOfSquares = 0;
  for (const value of vector) sumOfSquares += value * value;
  if (sumOfSquares === 0) return vector;
  const norm = Math.sqrt(sumOfSquares);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}
