/** One dependency a service needs before it can take work. */
export interface DependencyCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(signal: AbortSignal): Promise<void>;
}

export interface DependencyStatus {
  status: 'up' | 'down';
  durationMs: number;
  error?: string;
}

export interface ReadinessReport {
  status: 'ready' | 'unavailable';
  /** Names of the dependencies that are down, so a 503 says which one failed. */
  failing: string[];
  checks: Record<string, DependencyStatus>;
}

/** Runs every check in parallel, each bounded by timeoutMs. */
export async function checkReadiness(
  checks: readonly DependencyCheck[],
  timeoutMs = 2_000,
): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((dependency) => runOne(dependency, timeoutMs)));
  const report: ReadinessReport = { status: 'ready', failing: [], checks: {} };
  checks.forEach((dependency, index) => {
    const result = results[index] as DependencyStatus;
    report.checks[dependency.name] = result;
    if (result.status === 'down') report.failing.push(dependency.name);
  });
  if (report.failing.length > 0) report.status = 'unavailable';
  return report;
}

async function runOne(dependency: DependencyCheck, timeoutMs: number): Promise<DependencyStatus> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([dependency.check(controller.signal), timeout]);
    return { status: 'up', durationMs: elapsed(started) };
  } catch (error) {
    return { status: 'down', durationMs: elapsed(started), error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
