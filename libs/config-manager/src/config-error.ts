/** One thing wrong with the configuration: the variable (or secret name) at fault and why. */
export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.variable}: ${problem.message}`;
}

/**
 * Thrown when the configuration is invalid. It carries every problem found, not just the first;
 * the message lists them one per line. No message ever contains a secret value.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: ReadonlyArray<ConfigProblem>;

  constructor(problems: ReadonlyArray<ConfigProblem>) {
    const count = problems.length;
    const heading = `Invalid XORB configuration (${count} problem${count === 1 ? '' : 's'}):`;
    super([heading, ...problems.map(formatProblem)].join('\n'));
    this.problems = Object.freeze(problems.map((problem) => Object.freeze({ ...problem })));
  }
}

/** Collects problems while the configuration is read, so that all of them are reported at once. */
export class ProblemList {
  private readonly problems: ConfigProblem[] = [];

  add(variable: string, message: string): void {
    this.problems.push({ variable, message });
  }

  addAll(problems: Iterable<ConfigProblem>): void {
    for (const problem of problems) this.problems.push(problem);
  }

  /** Whether a problem names a variable matching the predicate. */
  some(predicate: (variable: string) => boolean): boolean {
    return this.problems.some((problem) => predicate(problem.variable));
  }

  get isEmpty(): boolean {
    return this.problems.length === 0;
  }

  toArray(): ConfigProblem[] {
    return [...this.problems];
  }

  throwIfAny(): void {
    if (!this.isEmpty) throw new ConfigError(this.problems);
  }
}
