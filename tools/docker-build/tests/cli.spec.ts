import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  REPO_ROOT,
  run,
  runScript,
  SCRIPT,
  SCRIPT_NAME,
  scriptEnv,
  tempDir,
  USAGE_LINE,
} from './support/script';

const COMMANDS = [
  'build',
  'push',
  'pull',
  'security-scan',
  'size-report',
  'deploy',
  'test',
  'validate',
  'clean',
  'logs',
] as const;

const GUIDE = join(REPO_ROOT, '../shared/seed/xorb-docker-containerization-guide.md');

/** Every `./tools/scripts/docker-build.sh …` line of the containerization guide, as printed. */
function guideInvocations(): string[][] {
  const guide = readFileSync(GUIDE, 'utf8').replace(/\r/g, '');
  return [...guide.matchAll(/^\.\/tools\/scripts\/docker-build\.sh (.+)$/gm)].map((match) =>
    (match[1] as string).trim().split(/\s+/),
  );
}

/** The guide's invocations (a copy, for checkouts without the shared folder beside them). */
const GUIDE_FALLBACK = [
  'build --environment development --target development',
  'build --environment production --target production --push --version v1.2.3',
  'security-scan api orchestrator worker',
  'size-report',
  'deploy --environment production',
  'clean --environment development',
  'security-scan',
  'size-report',
  'build --version v1.2.3 --target production --push',
  'deploy --environment staging',
  'test --environment staging',
  'deploy --environment production --version v1.2.3',
].map((line) => line.split(' '));

describe('docker-build.sh: the command line', () => {
  let state: { path: string; remove: () => Promise<void> };
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    state = await tempDir('xorb-dbt-cli');
    env = scriptEnv({ imagePrefix: inject('dockerBuild').imagePrefix, stateDir: state.path });
  });
  afterAll(() => state?.remove());

  it('prints the usage for --help, -h, help and no arguments (exit 0; 2 without a command)', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const result = await runScript(args, env);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: tools\/scripts\/docker-build\.sh <command>/);
      for (const command of COMMANDS) expect(result.stdout).toContain(`  ${command} `);
      expect(result.stdout).toContain('Blue-green release');
    }
    const none = await runScript([], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no command given');
    expect(none.stderr).toMatch(USAGE_LINE);
  });

  it.each(COMMANDS)('%s --help, -h and `help %s` print the command’s usage (exit 0)', async (command) => {
    for (const args of [
      [command, '--help'],
      [command, '-h'],
      ['help', command],
    ]) {
      const result = await runScript(args, env);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout.startsWith(`Usage: ${SCRIPT_NAME} ${command}`), result.stdout).toBe(true);
      expect(result.stderr).toBe('');
    }
  });

  it('accepts every invocation the guide prints (parsed and checked, then --help)', async () => {
    const invocations = existsSync(GUIDE) ? guideInvocations() : GUIDE_FALLBACK;
    expect(invocations.length).toBeGreaterThanOrEqual(12);
    for (const args of invocations) {
      const result = await runScript([...args, '--help'], env);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      expect(result.stdout.startsWith(`Usage: ${SCRIPT_NAME} ${args[0]}`)).toBe(true);
    }
  });

  const usageErrors: Array<[string, string[], RegExp]> = [
    ['unknown command', ['bogus'], /unknown command: bogus/],
    ['unknown command for help', ['help', 'bogus'], /unknown command: bogus/],
    ['unknown option', ['build', '--bogus'], /unknown option: --bogus/],
    ['unknown short option', ['size-report', '-x'], /unknown option: -x/],
    ['option of another command', ['size-report', '--swarm'], /size-report does not take --swarm/],
    [
      'unknown service',
      ['build', 'api', 'billing'],
      /unknown service: billing \(api, orchestrator, worker\)/,
    ],
    ['unknown service (scan)', ['security-scan', 'nginx'], /unknown service: nginx/],
    ['unknown environment', ['build', '--environment', 'qa'], /unknown environment for build: qa/],
    ['unknown environment (clean)', ['clean', '--environment=prod'], /unknown environment for clean: prod/],
    [
      'development is not deployed here',
      ['deploy', '--environment', 'development'],
      /unknown environment for deploy: development \(staging, production\)/,
    ],
    ['deploy without an environment', ['deploy'], /deploy needs --environment \(staging, production\)/],
    ['test without an environment', ['test'], /test needs --environment/],
    ['clean without an environment', ['clean'], /clean needs --environment/],
    ['unknown target', ['build', '--target', 'prod'], /unknown target: prod/],
    [
      'one target for scans',
      ['security-scan', '--target', 'production,testing'],
      /security-scan takes one --target/,
    ],
    ['missing value', ['build', '--version'], /option --version needs a value/],
    ['value that is an option', ['build', '--environment', '--push'], /option --environment needs a value/],
    ['empty inline value', ['build', '--version='], /option --version needs a value/],
    ['flag with a value', ['build', '--push=yes'], /option --push takes no value/],
    ['invalid version', ['build', '--version', 'v1/2'], /invalid --version: v1\/2/],
    ['invalid registry', ['push', '--registry', 'https://registry.example.com'], /invalid registry/],
    ['services where none are taken', ['validate', 'api'], /validate takes no service names/],
    ['services for deploy', ['deploy', '--environment', 'staging', 'api'], /deploy takes no service names/],
    [
      'bad timeout',
      ['test', '--environment', 'staging', '--timeout', 'soon'],
      /--timeout takes a number of seconds/,
    ],
    ['parallel and sequential', ['build', '--parallel', '--sequential'], /exclude each other/],
    ['bad severity', ['security-scan', '--severity', 'SEVERE'], /invalid --severity/],
  ];

  it.each(usageErrors)('%s: prints the usage and exits 2', async (_name, args, message) => {
    const result = await runScript(args, env);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(USAGE_LINE);
    expect(result.stdout).toBe('');
  });

  it('takes options before the command, before and after service names, and as --name=value', async () => {
    const variants = [
      ['size-report', 'api', 'worker', '--target', 'production', '--no-save'],
      ['size-report', '--target', 'production', 'api', '--no-save', 'worker'],
      ['--no-save', '--target=production', 'size-report', 'api', 'worker'],
    ];
    const outputs: string[] = [];
    for (const args of variants) {
      const result = await runScript(args, env);
      expect(result.code, result.stderr).toBe(0);
      outputs.push(
        result.stdout
          .split('\n')
          .filter((line) => /^(api|worker|orchestrator) /.test(line))
          .map((line) => line.split(/\s+/).slice(0, 3).join(' '))
          .join('\n'),
      );
    }
    const { imagePrefix } = inject('dockerBuild');
    expect(outputs[0]).toBe(
      `api production ${imagePrefix}/api:production\nworker production ${imagePrefix}/worker:production`,
    );
    expect(new Set(outputs).size).toBe(1);
  });

  it('says in one line when no engine answers (exit 1)', async () => {
    const result = await runScript(['size-report'], {
      ...env,
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^docker-build\.sh size-report: no Docker engine answers at unix:\/\/\/nonexistent\/docker\.sock \(client .*docker\)$/,
    );
  });

  it('is shellcheck-clean', async (context) => {
    const which = await run('bash', ['-c', 'command -v shellcheck']);
    if (which.code !== 0) {
      context.skip('shellcheck is not installed (apt-get install -y shellcheck)');
      return;
    }
    const result = await run(which.stdout.trim(), ['-x', SCRIPT], { cwd: REPO_ROOT });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
