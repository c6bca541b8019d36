#!/usr/bin/env node
// Entry point. Plain JS on purpose: on a fresh clone node_modules does not exist yet, so this file
// installs the npm packages first (npm ci, with npm's own progress), then registers the TypeScript
// loader (tsx) and runs the CLI from source — no build step.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (!existsSync(join(root, 'node_modules', 'tsx', 'package.json'))) {
  const hasLock = existsSync(join(root, 'package-lock.json'));
  console.error(`setup: npm packages missing — running npm ${hasLock ? 'ci' : 'install'} (one time)`);
  const npm = spawnSync('npm', [hasLock ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (npm.status !== 0) {
    console.error('error: npm could not install the packages (see above); fix that, then run the command again');
    process.exit(2);
  }
}

const { register } = await import('tsx/esm/api');
register();
await import('../scripts/cli.ts');
