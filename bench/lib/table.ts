/**
 * One line of the results table. Values are kept as numbers (for results JSON) and
 * rendered with their unit; a missing value (not measured, not built) renders as text.
 */
export interface Row {
  area: string;
  scenario: string;
  measured: Value;
  baseline?: Value;
  /** measured ÷ baseline, computed when both are numbers. */
  ratio?: number;
  /** The issue's goal, printed beside the value; never asserted. */
  goal?: Goal;
  note?: string;
}

export interface Value {
  value?: number;
  unit: string;
  /** Shown instead of the number (e.g. "not built", "failed: …"). */
  text?: string;
  digits?: number;
}

/** A goal is printed with a verdict (met / missed) so a reader sees it at a glance; nothing fails on it. */
export interface Goal {
  text: string;
  met?: boolean;
}

export function value(value: number | undefined, unit: string, digits?: number): Value {
  return { value, unit, ...(digits === undefined ? {} : { digits }) };
}

export function missing(text: string, unit = ''): Value {
  return { unit, text };
}

export function row(fields: Omit<Row, 'ratio'> & { ratio?: number }): Row {
  const { measured, baseline } = fields;
  const ratio =
    fields.ratio ??
    (measured.value !== undefined && baseline?.value !== undefined && baseline.value !== 0
      ? measured.value / baseline.value
      : undefined);
  return { ...fields, ...(ratio === undefined ? {} : { ratio }) };
}

export function renderValue(v: Value | undefined): string {
  if (!v) return '—';
  if (v.text !== undefined) return v.text;
  if (v.value === undefined || Number.isNaN(v.value)) return '—';
  const digits = v.digits ?? (Math.abs(v.value) >= 100 ? 0 : Math.abs(v.value) >= 10 ? 1 : 2);
  const number = v.value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return v.unit ? `${number} ${v.unit}` : number;
}

function renderGoal(goal: Goal | undefined): string {
  if (!goal) return '—';
  if (goal.met === undefined) return goal.text;
  return `${goal.text} (${goal.met ? 'met' : 'missed'})`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The table, with each row's note numbered ([n] after the scenario) and listed below it. */
export function renderTable(rows: readonly Row[]): string {
  const header = ['area', 'scenario', 'measured', 'baseline (same run)', 'ratio', 'goal'];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  const notes: string[] = [];
  for (const r of rows) {
    let scenario = r.scenario;
    if (r.note) {
      notes.push(r.note);
      scenario = `${scenario} [${notes.length}]`;
    }
    lines.push(
      `| ${[
        r.area,
        scenario,
        renderValue(r.measured),
        renderValue(r.baseline),
        r.ratio === undefined || !Number.isFinite(r.ratio) ? '—' : `${r.ratio.toFixed(2)}×`,
        renderGoal(r.goal),
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  if (notes.length > 0) {
    lines.push('', 'Notes:', '');
    notes.forEach((note, index) => lines.push(`${index + 1}. ${note.replace(/\n/g, ' ')}`));
  }
  return lines.join('\n');
}
