import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LocalHashingEmbedder } from './local-hashing-embedder';

const dot = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
const norm = (a: readonly number[]): number => Math.sqrt(dot(a, a));
const digest = (vector: readonly number[]): string =>
  createHash('sha256')
    .update(Buffer.from(new Float64Array(vector).buffer))
    .digest('hex');

const TLS_EXPIRING_API =
  'TLS certificate expires in 12 days on host api.example.com. The certificate served on api.example.com:443 ' +
  '(issuer R3) is valid until 2026-02-01; renew it before it expires.';
const TLS_EXPIRING_MAIL =
  'TLS certificate expires in 5 days on host mail.example.org. The certificate served on mail.example.org:8443 ' +
  "(issuer Let's Encrypt) is valid until 2026-01-20; renew it before it expires.";
const REDIS_NO_AUTH =
  'Redis answers PING without authentication. The redis-server on 10.0.0.5:6379 replied +PONG to an ' +
  'unauthenticated PING; anyone who can reach the port can read and write data.';
const MISSING_HSTS =
  'Missing Strict-Transport-Security header. https://shop.example.net/ does not send HSTS, so browsers may ' +
  'connect over plain HTTP.';

describe('LocalHashingEmbedder', () => {
  it('gives the same vector for the same text, in every instance and every run', async () => {
    const [a, b] = await new LocalHashingEmbedder({ dimensions: 384 }).embed([
      TLS_EXPIRING_API,
      TLS_EXPIRING_API,
    ]);
    const [c] = await new LocalHashingEmbedder({ dimensions: 384 }).embed([TLS_EXPIRING_API]);
    expect(a).toEqual(b);
    expect(a).toEqual(c);
    // Pinned: a change here changes every stored vector, so bump LOCAL_HASHING_MODEL with it.
    expect(
      digest(
        new LocalHashingEmbedder({ dimensions: 64 }).embedOne('Redis answers PING without authentication'),
      ),
    ).toBe(PINNED_DIGEST);
  });

  it('returns unit vectors of the configured length', async () => {
    for (const dimensions of [384, 768, 1536, 7]) {
      const embedder = new LocalHashingEmbedder({ dimensions });
      const vectors = await embedder.embed([TLS_EXPIRING_API, REDIS_NO_AUTH, 'x']);
      expect(embedder.dimensions).toBe(dimensions);
      for (const vector of vectors) {
        expect(vector).toHaveLength(dimensions);
        expect(norm(vector)).toBeCloseTo(1, 12);
      }
    }
  });

  it('puts similar findings closer together than unrelated ones', async () => {
    const embedder = new LocalHashingEmbedder({ dimensions: 384 });
    const [api, mail, redis, hsts] = await embedder.embed([
      TLS_EXPIRING_API,
      TLS_EXPIRING_MAIL,
      REDIS_NO_AUTH,
      MISSING_HSTS,
    ]);
    if (!api || !mail || !redis || !hsts) throw new Error('missing vectors');
    const similar = dot(api, mail);
    expect(similar).toBeGreaterThan(0.5);
    expect(similar).toBeGreaterThan(dot(api, redis) + 0.3);
    expect(similar).toBeGreaterThan(dot(mail, redis) + 0.3);
    expect(similar).toBeGreaterThan(dot(api, hsts));
    // A search query lands on the matching finding.
    const [query] = await embedder.embed(['unauthenticated redis']);
    if (!query) throw new Error('missing vector');
    expect(dot(query, redis)).toBeGreaterThan(Math.max(dot(query, api), dot(query, mail), dot(query, hsts)));
  });

  it('ignores case and Unicode compatibility forms', () => {
    const embedder = new LocalHashingEmbedder({ dimensions: 256 });
    expect(embedder.embedOne('ＴＬＳ Certificate EXPIRED')).toEqual(
      embedder.embedOne('tls certificate expired'),
    );
    expect(embedder.embedOne('café')).toEqual(embedder.embedOne('cafe\u0301'));
  });

  it('gives empty, blank and punctuation-only text one finite unit vector', async () => {
    const embedder = new LocalHashingEmbedder({ dimensions: 384 });
    const vectors = await embedder.embed(['', '   \n\t ', '--- !!! ...']);
    for (const vector of vectors) {
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(norm(vector)).toBeCloseTo(1, 12);
      expect(vector).toEqual(vectors[0]);
    }
    expect(await embedder.embed([])).toEqual([]);
  });

  it('handles astral characters and very long text', () => {
    const embedder = new LocalHashingEmbedder({ dimensions: 128, maxChars: 10_000 });
    expect(norm(embedder.embedOne('certificate 🔒🔒 expired 𝔘𝔫𝔦𝔠𝔬𝔡𝔢'))).toBeCloseTo(1, 12);
    const long = 'evidence '.repeat(50_000);
    expect(embedder.embedOne(long)).toEqual(embedder.embedOne(long.slice(0, 10_000)));
  });

  it('stops when the signal aborts and rejects bad dimensions', async () => {
    const embedder = new LocalHashingEmbedder({ dimensions: 8 });
    await expect(embedder.embed(['a'], AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(() => new LocalHashingEmbedder({ dimensions: 0 })).toThrow(RangeError);
    expect(() => new LocalHashingEmbedder({ dimensions: 1.5 })).toThrow(RangeError);
  });
});

const PINNED_DIGEST = '3971ee0b1e4e2482dadfd5ba1e28797ea166bca5c5d09bc5384874e7858e2edf';
