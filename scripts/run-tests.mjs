#!/usr/bin/env node
// Runs every workspace package's tests through turbo (build first, as turbo.json says) and the
// typecheck, then adds up the vitest reports the runs wrote and prints one closing line:
// `N passed, N failed` (a failed typecheck, package lint or API-reference check, or Node's TLS suite
// passing fewer tests than before, counts as one failure).
// A package whose test run produced no report counts as one failure, so a crash cannot pass.
//
// First it provisions what the tests talk to (scripts/provision.mjs: Debian's peers, installed with
// apt-get when it can, else it stops with the command to run). With OSSL_TEST_NODES=22,24 the whole
// suite then runs again on those Node.js majors (fetched from the npm registry), with the addon and
// the packages built once.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureDebianPeers, ensureNode, ensureOpensslCli, nodeOpensslSeries, opensslSeries } from './provision.mjs';

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
const turbo = join(root, 'node_modules', '.bin', 'turbo');
const baseEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

ensureDebianPeers();

/** The environment for a run on the Node.js in `binDir` (null: this one): its node first on PATH, and the openssl CLI of its OpenSSL series. */
function envFor(binDir) {
  const env = { ...baseEnv };
  if (binDir) env.PATH = `${binDir}${delimiter}${env.PATH}`;
  const series = binDir ? nodeOpensslSeries(binDir) : opensslSeries(process.versions.openssl);
  const cli = ensureOpensslCli(series);
  if (cli !== 'openssl') env.OSSL_TEST_OPENSSL = cli;
  return env;
}

/** Adds up the reports the last test run wrote. */
function collect(label) {
  const totals = { passed: 0, failed: 0, skipped: 0, rows: [] };
  for (const d of dirs) {
    const name = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).name;
    const report = join(d, '.vitest-report.json');
    if (!existsSync(report)) {
      totals.failed += 1;
      totals.rows.push(`  ${label} ${name}: no test report (the run crashed or was not reached)`);
      continue;
    }
    const r = JSON.parse(readFileSync(report, 'utf8'));
    // A test file that failed to load has no tests but fails the suite.
    const brokenFiles = (r.testResults ?? []).filter((t) => t.status === 'failed' && t.assertionResults.length === 0).length;
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests + brokenFiles;
    totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    totals.rows.push(`  ${label} ${name}: ${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed`);
  }
  return totals;
}

function runTests(args, env) {
  for (const d of dirs) rmSync(join(d, '.vitest-report.json'), { force: true });
  const run = spawnSync(turbo, ['run', 'test', '--continue', '--concurrency=2', ...args], { cwd: root, stdio: 'inherit', env });
  // A package whose run wrote no report crashed before its tests reported (seen once on Node 24:
  // vitest's worker pool lost its IPC channel at start-up). It runs once more, saying so; a second
  // crash counts as a failure in the summary.
  for (const d of dirs) {
    if (existsSync(join(d, '.vitest-report.json'))) continue;
    const name = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).name;
    process.stdout.write(`\n${name}: its test run wrote no report (the runner crashed); running it once more\n`);
    // With the same arguments, so a build that failed fails again rather than leave old files to test.
    spawnSync(turbo, ['run', 'test', '--continue', `--filter=${name}`, ...args, ...(args.includes('--force') ? [] : ['--force'])], { cwd: root, stdio: 'inherit', env });
  }
  // What passed and failed is in the reports (a package still without one counts as a failure).
  return run;
}

const runs = [];
runTests(extra, envFor(null));
runs.push({ label: `[node ${process.versions.node}]`, ...collect(`[node ${process.versions.node}]`) });
// Type errors in sources or tests count as a failure too (vitest itself only strips types).
const typecheck = spawnSync(turbo, ['run', 'typecheck', '--continue', '--concurrency=2', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit', env: baseEnv });

// The packages as they would be published (publint, Are the Types Wrong), the API reference (every
// export documented, docs/api/ up to date) and the benchmarks run small (they must not rot); each
// counts as one failure when it fails.
const checks = [
  ['package lint (publint, attw)', 'lint-packages.mjs', []],
  ['API reference (docs/api)', 'api-docs.mjs', ['--check']],
  ['benchmarks (smoke runs)', 'bench-smoke.mjs', []],
].map(([label, script, args]) => ({ label, ok: spawnSync(process.execPath, [join(root, 'scripts', script), ...args], { cwd: root, stdio: 'inherit', env: baseEnv }).status === 0 }));

// Node.js's own TLS tests, run unmodified against compat-net (../shared/node-tls-suite, beside the
// checkout in CI): the count may not fall below the best reached so far (test/node-tls-suite-floor.json).
// A test that compat-net does not support yet fails there without failing this run.
function nodeTlsSuite() {
  const runner = join(root, '..', 'shared', 'node-tls-suite', 'run.mjs');
  const { passed: floor, total } = JSON.parse(readFileSync(join(root, 'test', 'node-tls-suite-floor.json'), 'utf8'));
  const label = "Node's TLS suite against compat-net";
  if (!existsSync(runner)) {
    return { label, ok: true, detail: `not run: ${runner} is not beside this checkout (CI has it)` };
  }
  const summary = join(root, '.cache', 'node-tls-suite.json');
  spawnSync(process.execPath, [runner, '--root', root, '--jobs', '2', '--json', summary], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: baseEnv });
  if (!existsSync(summary)) return { label, ok: false, detail: 'the suite wrote no summary' };
  const r = JSON.parse(readFileSync(summary, 'utf8'));
  const ok = r.passed >= floor;
  const detail = `${r.passed} of ${r.total ?? total} pass (the floor is ${floor}${r.passed > floor ? `: raise it to ${r.passed}` : ''})`;
  return { label, ok, detail };
}
const suite = nodeTlsSuite();

// The other Node.js majors: the same built packages and addon (Node-API), only the tests again.
for (const major of (process.env.OSSL_TEST_NODES ?? '').split(',').map((m) => m.trim()).filter(Boolean)) {
  const bin = ensureNode(major);
  const version = execFileSync(join(bin, 'node'), ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
  process.stdout.write(`\n==== the whole suite again on Node.js ${version} ====\n`);
  runTests(['--only', '--force', ...extra], envFor(bin));
  runs.push({ label: `[node ${version}]`, ...collect(`[node ${version}]`) });
}

let passed = 0;
let failed = 0;
let skipped = 0;
console.log('\nTest summary by package:');
for (const run of runs) {
  passed += run.passed;
  failed += run.failed;
  skipped += run.skipped;
  for (const row of run.rows) console.log(row);
}
for (const check of [{ label: 'typecheck', ok: typecheck.status === 0 }, ...checks]) {
  if (!check.ok) failed += 1;
  console.log(`  ${check.label}: ${check.ok ? 'clean' : 'failed (see the errors above)'}`);
}
if (!suite.ok) failed += 1;
console.log(`  ${suite.label}: ${suite.detail}${suite.ok ? '' : ' — below the floor'}`);
const line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
writeFileSync(join(root, '.test-summary'), `${line}\n`);
console.log(line);
process.exit(failed === 0 ? 0 : 1);
