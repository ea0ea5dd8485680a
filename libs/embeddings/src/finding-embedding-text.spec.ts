import { describe, expect, it } from 'vitest';
import { findingEmbeddingText } from './finding-embedding-text';

describe('findingEmbeddingText', () => {
  it('joins title, description and evidence as sorted key: value lines', () => {
    expect(
      findingEmbeddingText({
        title: 'TLS certificate expires in 12 days',
        description: 'The certificate of api.example.com expires soon.',
        evidence: {
          port: 443,
          notAfter: '2026-02-01T00:00:00.000Z',
          subject: { commonName: 'api.example.com' },
          sans: ['api.example.com', 'www.example.com'],
        },
      }),
    ).toBe(
      [
        'TLS certificate expires in 12 days',
        'The certificate of api.example.com expires soon.',
        'not after: 2026-02-01T00:00:00.000Z',
        'port: 443',
        'sans: api.example.com, www.example.com',
        'subject common name: api.example.com',
      ].join('\n'),
    );
  });

  it('gives the same text after a JSON (jsonb) round trip', () => {
    const evidence = {
      server: 'nginx/1.18.0',
      headers: { 'x-powered-by': 'PHP/7.4', date: new Date('2026-01-15T10:30:00Z') },
      list: [{ b: 2, a: 1 }],
    };
    const stored = JSON.parse(
      JSON.stringify({ list: evidence.list, headers: evidence.headers, server: evidence.server }),
    ) as Record<string, unknown>;
    const finding = { title: 'Version disclosure', description: 'Server header names a version.' };
    expect(findingEmbeddingText({ ...finding, evidence: stored })).toBe(
      findingEmbeddingText({ ...finding, evidence }),
    );
  });

  it('caps long evidence and tolerates none', () => {
    const text = findingEmbeddingText({
      title: 'T',
      description: 'D',
      evidence: { banner: 'x'.repeat(5_000) },
    });
    expect(text.length).toBeLessThan(1_100);
    expect(findingEmbeddingText({ title: 'T', description: 'D', evidence: null })).toBe('T\nD');
  });
});
