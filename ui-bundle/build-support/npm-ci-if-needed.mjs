// Runs `npm ci` unless node_modules was installed from exactly this package-lock.json (its SHA-256 is
// kept in node_modules/.lock-hash after a successful install). Used by the Maven build; `npm ci` by
// hand works as usual.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.lock-hash');

const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash) {
  console.log('node_modules is up to date with package-lock.json; skipping npm ci');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error(`npm ci failed (exit ${result.status ?? result.signal})`);
  process.exit(result.status ?? 1);
}
writeFileSync(marker, `${hash}\n`);
