// `npm test`: every test. Installs the Debian tools the tests need when it can (as root with
// apt-get), otherwise says in one line what to install.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// fileURLToPath, not URL.pathname: the offices' Windows paths have drive letters and spaces.
const root = fileURLToPath(new URL('..', import.meta.url));
const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

const needed = [
  { pkg: 'chromium', present: () => existsSync(process.env.SEAL_COUNTER_CHROMIUM ?? '/usr/bin/chromium') },
  { pkg: 'poppler-utils', present: () => onPath('pdftotext') && onPath('pdffonts') },
  // The hub's tests: nginx in front of two nodes, and TLS certificates made at test time.
  { pkg: 'nginx-light', present: () => onPath('nginx') || existsSync('/usr/sbin/nginx') },
  { pkg: 'openssl', present: () => onPath('openssl') },
].filter((tool) => !tool.present());

if (needed.length > 0) {
  const packages = needed.map((tool) => tool.pkg).join(' ');
  if (process.getuid?.() === 0 && onPath('apt-get')) {
    console.log(`Installing Debian packages the tests need: ${packages}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = update.status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...needed.map((t) => t.pkg)], { stdio: 'inherit', env });
    if (!install || install.status !== 0) {
      console.error(`Could not install ${packages}; install them with: sudo apt-get install -y ${packages}`);
      process.exit(1);
    }
  } else {
    console.error(`Missing ${packages}: install with \`sudo apt-get install -y ${packages}\` and run npm test again.`);
    process.exit(1);
  }
}

mkdirSync(join(root, 'test-results'), { recursive: true });
function step(title, command, args) {
  console.log(`\n== ${title}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status === 0;
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
// The linter first: a wrong import or a type-unsafe line fails the run before anything else does.
const lintOk = step('Lint (ESLint: type-checked rules, React hooks, import cycles, layers)', bin('eslint'), ['.']);
const typesOk = step('Type check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
const unitOk = step('Unit, store and contract tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest-report.json']);
const buildOk = step('Build the renderer', bin('vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
const e2eOk = buildOk && step('End-to-end tests (Playwright, Debian chromium)', bin('playwright'), ['test']);

function counts(file, passedKey, failedKey) {
  try {
    const report = JSON.parse(readFileSync(join(root, 'test-results', file), 'utf8'));
    return [passedKey(report), failedKey(report)];
  } catch {
    return [0, 0];
  }
}
const [unitPassed, unitFailed] = counts('vitest-report.json', (r) => r.numPassedTests, (r) => r.numFailedTests);
const [e2ePassed, e2eFailed] = counts('e2e-report.json', (r) => r.stats.expected, (r) => r.stats.unexpected + r.stats.flaky);
// A step that failed without a failing test (type errors, a crash, a broken build) still counts.
const failedOutsideTests = [lintOk, typesOk, buildOk].filter((ok) => !ok).length +
  (!unitOk && unitFailed === 0 ? 1 : 0) + (buildOk && !e2eOk && e2eFailed === 0 ? 1 : 0);
const failed = unitFailed + e2eFailed + failedOutsideTests;
console.log(`\n${unitPassed + e2ePassed} passed, ${failed} failed`);
process.exit(lintOk && typesOk && unitOk && buildOk && e2eOk ? 0 : 1);
