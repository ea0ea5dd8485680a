import { readdirSync, readFileSync } from 'node:fs';

/** Linux clock ticks per second (getconf CLK_TCK); 100 on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** user + system CPU seconds. */
  cpuSeconds: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: fields after its closing parenthesis.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    return { pid, ppid, cpuSeconds: cpuTicks / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** The process and every descendant alive now. */
export function processTree(root: number): number[] {
  const stats = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readStat(Number(entry)))
    .filter((stat): stat is ProcStat => stat !== undefined);
  const children = new Map<number, number[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  const tree: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU seconds used so far by each process of the tree (processes that exited are not counted). */
export function cpuByProcess(root: number): Map<number, number> {
  const usage = new Map<number, number>();
  for (const pid of processTree(root)) {
    const stat = readStat(pid);
    if (stat) usage.set(pid, stat.cpuSeconds);
  }
  return usage;
}

export function totalCpu(usage: Map<number, number>): number {
  let sum = 0;
  for (const seconds of usage.values()) sum += seconds;
  return sum;
}

/** CPU seconds each process used between two samples. */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): Map<number, number> {
  const delta = new Map<number, number>();
  for (const [pid, seconds] of after) delta.set(pid, seconds - (before.get(pid) ?? 0));
  return delta;
}

/** Busy and total jiffies of the whole machine so far (/proc/stat, first line). */
function machineTicks(): { busy: number; total: number } {
  const fields =
    readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** Share of the machine's CPU (0..1) busy over the next `ms` milliseconds. */
export async function machineBusy(ms: number): Promise<number> {
  const before = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineTicks();
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}
