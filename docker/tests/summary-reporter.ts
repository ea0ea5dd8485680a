import type { Reporter, TestModule } from 'vitest/node';
import { CATEGORIES } from './support/categories';

interface CategoryResult {
  passed: number;
  failed: number;
  skipped: number;
  loadError: boolean;
}

/**
 * Prints the guide's closing block ("Summary: 9/9 tests passed"): one PASS/FAIL line per
 * category (a category passes when every test in it passed), the measurements tests
 * attached (sizes, times), and the plain line "containers: N passed, N failed" for CI.
 */
export default class ContainerSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const results = new Map<string, CategoryResult>();
    const reports: { group: string; lines: string[] }[] = [];
    let passed = 0;
    let failed = 0;
    let skipped = 0;

    for (const module of testModules) {
      const suites = [...module.children.suites()];
      const category = suites[0]?.name ?? module.moduleId.split('/').pop() ?? module.moduleId;
      const result = results.get(category) ?? { passed: 0, failed: 0, skipped: 0, loadError: false };
      const tests = [...module.children.allTests()];
      for (const test of tests) {
        const state = test.result().state;
        if (state === 'passed') {
          result.passed += 1;
          passed += 1;
        } else if (state === 'failed') {
          result.failed += 1;
          failed += 1;
        } else {
          result.skipped += 1;
          skipped += 1;
        }
        for (const entry of test.meta().xorb ?? []) reports.push(entry);
      }
      if (module.state() === 'failed' && !tests.some((test) => test.result().state === 'failed')) {
        result.loadError = true; // a hook or the file itself failed
        failed += tests.length === 0 ? 1 : 0;
      }
      results.set(category, result);
    }
    failed += unhandledErrors.length;

    const out: string[] = ['', '🔧 XORB Container Test Suite', '='.repeat(60), '📊 Test Results:'];
    let categoriesPassed = 0;
    const names = [
      ...CATEGORIES,
      ...[...results.keys()].filter((name) => !CATEGORIES.includes(name as never)),
    ];
    for (const name of names) {
      const result = results.get(name);
      if (!result) {
        out.push(`  ⏭️  NOT RUN - ${name}`);
        continue;
      }
      const total = result.passed + result.failed + result.skipped;
      const ok = result.failed === 0 && !result.loadError && result.passed > 0;
      if (ok) categoriesPassed += 1;
      const detail = result.loadError
        ? 'a setup hook failed'
        : `${result.passed}/${total} passed${result.skipped ? `, ${result.skipped} skipped` : ''}`;
      out.push(`  ${ok ? '✅ PASS' : '❌ FAIL'} - ${name} (${detail})`);
    }

    if (reports.length > 0) {
      out.push('', '📏 Measurements:');
      const groups = new Map<string, string[]>();
      for (const { group, lines } of reports) groups.set(group, [...(groups.get(group) ?? []), ...lines]);
      for (const [group, lines] of groups) out.push(`  ${group}`, ...lines.map((line) => `    ${line}`));
    }

    const total = Math.max(CATEGORIES.length, names.length);
    out.push('', `🎯 Summary: ${categoriesPassed}/${total} tests passed`);
    out.push(
      categoriesPassed === total && failed === 0
        ? '🎉 All container tests passed!'
        : '💥 Some container tests failed.',
    );
    if (skipped > 0) out.push(`(${skipped} skipped)`);
    out.push(`containers: ${passed} passed, ${failed} failed`, '');
    process.stdout.write(out.join('\n'));
  }
}
