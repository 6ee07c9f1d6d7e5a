#!/usr/bin/env node
// Runs every workspace package's tests through turbo (build first, as turbo.json says) and the
// typecheck, then adds up the vitest reports the runs wrote and prints one closing line:
// `N passed, N failed` (a failed typecheck counts as one failure).
// A package whose test run produced no report counts as one failure, so a crash cannot pass.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extra = process.argv.slice(2);

function workspaceDirs() {
  const dirs = [];
  for (const group of ['packages', 'apps']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) dirs.push(join(base, name));
  }
  dirs.push(join(root, 'test'));
  return dirs.filter((d) => {
    const pkgPath = join(d, 'package.json');
    if (!existsSync(pkgPath)) return false;
    return Boolean(JSON.parse(readFileSync(pkgPath, 'utf8')).scripts?.test);
  });
}

const dirs = workspaceDirs();
for (const d of dirs) rmSync(join(d, '.vitest-report.json'), { force: true });

const turbo = join(root, 'node_modules', '.bin', 'turbo');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
const result = spawnSync(turbo, ['run', 'test', '--continue', '--concurrency=2', ...extra], { cwd: root, stdio: 'inherit', env });
// Type errors in sources or tests count as a failure too (vitest itself only strips types).
const typecheck = spawnSync(turbo, ['run', 'typecheck', '--continue', '--concurrency=2', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit', env });

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const d of dirs) {
  const name = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).name;
  const report = join(d, '.vitest-report.json');
  if (!existsSync(report)) {
    failed += 1;
    rows.push(`  ${name}: no test report (the run crashed or was not reached)`);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A test file that failed to load has no tests but fails the suite.
  const brokenFiles = (r.testResults ?? []).filter((t) => t.status === 'failed' && t.assertionResults.length === 0).length;
  failed += brokenFiles;
  rows.push(`  ${name}: ${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed`);
}
if (typecheck.status !== 0) {
  failed += 1;
  rows.push('  typecheck: failed (see the errors above)');
} else {
  rows.push('  typecheck: clean');
}
const line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
console.log('\nTest summary by package:');
for (const row of rows) console.log(row);
writeFileSync(join(root, '.test-summary'), `${line}\n`);
console.log(line);
process.exit(result.status === 0 && typecheck.status === 0 && failed === 0 ? 0 : 1);
