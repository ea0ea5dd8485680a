/**
 * XORB benchmarks: `tsx bench/run.ts [api|worker|orchestrator|vector|images …]`.
 * Every number is compared with a baseline measured in the same run on the same
 * machine; the goals are printed beside them and never asserted.
 * Prints a markdown table and writes bench/results/<date>.md and bench/results/latest.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { format } from 'prettier';
import { apiArea } from './areas/api';
import { imagesArea } from './areas/images';
import { orchestratorArea } from './areas/orchestrator';
import { vectorArea } from './areas/vector';
import { workerArea } from './areas/worker';
import { AREAS, type Area, type AreaContext, type AreaName } from './lib/area';
import { services } from './lib/env';
import { machineBusy } from './lib/cpu';
import { killStarted } from './lib/processes';
import { missing, renderTable, row, type Row } from './lib/table';

const RUNNERS: Record<AreaName, Area> = {
  api: apiArea,
  worker: workerArea,
  orchestrator: orchestratorArea,
  vector: vectorArea,
  images: imagesArea,
};

function numberSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const parsed = Number(raw);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new Error(`${name} must be a positive number, got ${raw}`);
  return parsed;
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = requested.filter((name) => !(AREAS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown area(s): ${unknown.join(', ')}; choose from ${AREAS.join(', ')}\n`);
    process.exit(2);
  }
  const areas: AreaName[] = requested.length > 0 ? (requested as AreaName[]) : [...AREAS];
  services(); // fails early with the harness's message when XORB_TEST_* are unset

  const context: AreaContext = {
    log: (message) => process.stderr.write(`${message}\n`),
    durationSeconds: numberSetting('BENCH_DURATION', 5),
    connections: numberSetting('BENCH_CONNECTIONS', 20),
    scale: numberSetting('BENCH_SCALE', 1),
  };
  const interrupted = () => {
    killStarted();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const quietWaitSeconds = process.env.BENCH_QUIET_WAIT ? numberSetting('BENCH_QUIET_WAIT', 0) : 0;
  const started = new Date();
  const rows: Row[] = [];
  const timings: string[] = [];
  const busyAtStart: string[] = [];
  for (const area of areas) {
    // Other work on the machine disturbs every number: record how busy it was, and optionally
    // wait (bounded by BENCH_QUIET_WAIT seconds) for it to calm down below half of the CPUs.
    let busy = await machineBusy(2_000);
    const waitUntil = performance.now() + quietWaitSeconds * 1000;
    while (busy > 0.5 && performance.now() < waitUntil) busy = await machineBusy(2_000);
    busyAtStart.push(`${area} ${Math.round(busy * 100)} %`);
    const areaStarted = performance.now();
    context.log(`== ${area} (machine ${Math.round(busy * 100)} % busy before it started)`);
    try {
      rows.push(...(await RUNNERS[area](context)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.log(`${area} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      rows.push(row({ area, scenario: 'area run', measured: missing(`failed: ${message.split('\n')[0]}`) }));
    } finally {
      killStarted();
    }
    timings.push(`${area} ${Math.round((performance.now() - areaStarted) / 1000)} s`);
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
  const heading = [
    `# XORB benchmarks, ${started.toISOString().slice(0, 10)}`,
    '',
    `Run ${started.toISOString()} on ${machine}; areas: ${areas.join(', ')} (${timings.join(', ')}).`,
    `autocannon: ${context.connections} connections, ${context.durationSeconds} s per run; BENCH_SCALE ${context.scale}.`,
    `Machine CPU busy with other work just before each area (2 s sample): ${busyAtStart.join(', ')}.`,
    'Ratio = measured ÷ baseline (same run, same machine). Goals are printed, never asserted. See bench/README.md.',
    '',
  ].join('\n');
  const table = renderTable(rows);
  const markdown = await format(`${heading}\n${table}\n`, { parser: 'markdown', printWidth: 110 });
  process.stdout.write(`${table}\n`);

  const directory = join(__dirname, 'results');
  await mkdir(directory, { recursive: true });
  const dated = join(directory, `${started.toISOString().slice(0, 10)}.md`);
  await writeFile(dated, markdown);
  await writeFile(join(directory, 'latest.md'), markdown);
  await writeFile(
    join(directory, 'latest.json'),
    await format(JSON.stringify({ started: started.toISOString(), machine, areas, rows }), {
      parser: 'json',
    }),
  );
  context.log(`written: ${dated} and bench/results/latest.md`);
}

main().catch((error: unknown) => {
  killStarted();
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
