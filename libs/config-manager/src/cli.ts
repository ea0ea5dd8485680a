import { ConfigError, formatProblem } from './config-error';
import { loadConfig } from './load-config';
import { redactConfig } from './redact-config';
import { renderSettingsTable } from './settings/settings-table';
import { XORB_ENVS, isXorbEnv } from './xorb-env';

const USAGE = `usage: config-manager.sh <command>
  validate <env>   check the configuration of <env> (${XORB_ENVS.join(', ')}); exit 1 listing every problem
  print <env>      print the configuration of <env> as JSON, secrets redacted
  settings         print every variable and secret as a Markdown table
<env> sets XORB_ENV for this run; every other variable, secret file and Vault are read as the services read them.
`;

const EXIT_OK = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;

async function run(argv: readonly string[]): Promise<number> {
  const [command, envArgument, ...extra] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (command === 'settings' && envArgument === undefined) {
    process.stdout.write(`${renderSettingsTable()}\n`);
    return EXIT_OK;
  }
  if ((command !== 'validate' && command !== 'print') || extra.length > 0) {
    process.stderr.write(
      command === undefined ? USAGE : `unknown command or arguments: ${argv.join(' ')}\n${USAGE}`,
    );
    return EXIT_USAGE;
  }
  if (envArgument === undefined) {
    process.stderr.write(`${command}: missing <env>: expected one of ${XORB_ENVS.join(', ')}\n`);
    return EXIT_USAGE;
  }
  if (!isXorbEnv(envArgument)) {
    process.stderr.write(
      `unknown environment ${JSON.stringify(envArgument)}: expected one of ${XORB_ENVS.join(', ')}\n`,
    );
    return EXIT_USAGE;
  }

  try {
    const config = await loadConfig({ env: { ...process.env, XORB_ENV: envArgument } });
    process.stdout.write(
      command === 'validate'
        ? `configuration valid for ${envArgument}\n`
        : `${JSON.stringify(redactConfig(config), null, 2)}\n`,
    );
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const count = error.problems.length;
    const lines = error.problems.map(formatProblem);
    process.stderr.write(
      [
        `configuration invalid for ${envArgument} (${count} problem${count === 1 ? '' : 's'}):`,
        ...lines,
      ].join('\n') + '\n',
    );
    return EXIT_INVALID;
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `config-manager: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = EXIT_INVALID;
  },
);
