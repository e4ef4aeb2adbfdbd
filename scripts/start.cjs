#!/usr/bin/env node
'use strict';
/*
 * `npm start`: the shop demo, run as compiled JavaScript. Compiling on the fly (tsx) costs more
 * start-up time than everything Attune does before it answers, so the demo is compiled into
 * .build/ (not shipped: package.json "files" holds dist/ only) the first time, and again
 * whenever a source is newer than the last build; then it runs in this process.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, '.build', '.stamp');
const sources = ['index.ts', 'src', 'middleware', 'adapters', 'examples/ecommerce', 'tsconfig.json', 'tsconfig.start.json'];

/** The newest modification time under `path` (a file or a folder), in ms. */
function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (sources.some((s) => newest(join(root, s)) > built)) {
  process.stdout.write('Compiling the demo (once, and again after a source changes)…\n');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.start.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  writeFileSync(stamp, new Date().toISOString());
}
require(join(root, '.build', 'examples', 'ecommerce', 'main.js'));
