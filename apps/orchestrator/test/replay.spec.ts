import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const HISTORIES = join(__dirname, 'histories');
const WORKFLOWS = join(__dirname, '../src/workflows/index.ts');

/**
 * Replays histories recorded from real scans (re-record with
 * XORB_RECORD_HISTORIES=1 on apps/api/test/scans.e2e.spec.ts). A change that
 * makes the workflow take a different path for the same events fails here,
 * before it can break scans already running in production.
 */
describe('scan workflow determinism', async () => {
  const files = (await readdir(HISTORIES)).filter((file) => file.endsWith('.json'));

  it('has recorded histories to replay', () => {
    expect(files).toEqual(expect.arrayContaining(['scan-completed.json', 'scan-cancelled.json']));
  });

  for (const file of files) {
    it(`replays ${file} without nondeterminism`, async () => {
      const history = historyFromJSON(JSON.parse(await readFile(join(HISTORIES, file), 'utf8')));
      await expect(Worker.runReplayHistory({ workflowsPath: WORKFLOWS }, history)).resolves.toBeUndefined();
    }, 60_000);
  }

  it('names activities readably in the history (what the Temporal UI shows)', async () => {
    const history = JSON.parse(await readFile(join(HISTORIES, 'scan-completed.json'), 'utf8')) as {
      events: Array<{ activityTaskScheduledEventAttributes?: { activityType?: { name?: string } } }>;
    };
    const activities = history.events.flatMap(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
    expect(activities).toEqual([
      'beginScan',
      'resolveTarget',
      'probePorts',
      'fingerprintServices',
      'evaluateChecks',
      'persistFindings',
      'notifyScanFinished',
      'finishScan',
    ]);
  });
});
