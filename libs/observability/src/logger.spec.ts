import { Writable } from 'node:stream';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger({ service: 'api', level, destination }), lines };
}

describe('createLogger', () => {
  it('writes the log line shape of the architecture', () => {
    const { logger, lines } = capture();
    logger.info({ duration: 0.245, status_code: 200, request_id: 'abc' }, 'Request processed');
    const line = lines[0] as Record<string, unknown>;
    expect(Object.keys(line).slice(0, 4)).toEqual(['level', 'timestamp', 'service', 'container_id']);
    expect(line).toMatchObject({
      level: 'INFO',
      service: 'api',
      container_id: hostname(),
      message: 'Request processed',
      duration: 0.245,
      status_code: 200,
      request_id: 'abc',
    });
    expect(new Date(String(line.timestamp)).toISOString()).toBe(line.timestamp);
  });

  it('redacts credentials wherever they appear', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        password: 'hunter2',
        headers: { authorization: 'Bearer s3cr3t', cookie: 'sid=1', 'x-api-key': 'xk_live' },
        db: { password: 'p4ss' },
      },
      'with secrets',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['hunter2', 's3cr3t', 'sid=1', 'xk_live', 'p4ss'])
      expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('respects the level and writes upper-case level names', () => {
    const { logger, lines } = capture('warn');
    logger.info('hidden');
    logger.error('shown');
    expect(lines.map((line) => [line.level, line.message])).toEqual([['ERROR', 'shown']]);
  });
});
