import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderSettingsTable } from '../../libs/config-manager/src/settings/settings-table';

// `npm run docs:config`: rewrites the README's configuration table from listSettings().
const README = resolve(__dirname, '../../README.md');
const START = '<!-- settings-table:start -->';
const END = '<!-- settings-table:end -->';

const readme = readFileSync(README, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) {
  process.stderr.write(`update-readme-config: ${README} lacks the ${START} … ${END} markers\n`);
  process.exit(1);
}
writeFileSync(
  README,
  `${readme.slice(0, start + START.length)}\n${renderSettingsTable()}\n${readme.slice(end)}`,
);
process.stdout.write('README configuration table updated\n');
