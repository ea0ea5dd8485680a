import type { TaskMeta } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Measurements a test reports; the summary reporter prints them after the results. */
    xorb?: { group: string; lines: string[] }[];
  }
}

/** Attaches lines under a heading to the test; the summary reporter prints them at the end. */
export function report(task: { meta: TaskMeta }, group: string, lines: string[]): void {
  task.meta.xorb ??= [];
  task.meta.xorb.push({ group, lines });
}

export function mb(bytes: number): number {
  return Math.round(bytes / 1e5) / 10;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
