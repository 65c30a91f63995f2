/**
 * Vitest global set-up: the system programs the tests need (.ci/system-deps.tsv) must be on PATH
 * before any test runs. Missing ones are installed when running as root (the same script CI
 * runs); otherwise the run stops with the exact install command. Never skips a test silently.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const DEPS_FILE = join(ROOT, '.ci', 'system-deps.tsv');
export const INSTALL_SCRIPT = join(ROOT, '.ci', 'install-system-deps.sh');

export interface SystemDep {
  program: string;
  debianPackage: string;
  usedBy: string;
}

/** Rows "program<TAB>package<TAB>what needs it"; blank lines and # comments are skipped. */
export function parseDeps(text: string): SystemDep[] {
  const deps: SystemDep[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [program, debianPackage, usedBy = ''] = line.split('\t');
    if (!program || !debianPackage) throw new Error(`${DEPS_FILE} line ${i + 1}: expected "program<TAB>package<TAB>what needs it"; got ${JSON.stringify(line)}`);
    deps.push({ program, debianPackage, usedBy });
  }
  return deps;
}

/** True when `program` is an executable file in one of PATH's directories. */
export function onPath(program: string, path: string | undefined): boolean {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, program);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return true;
    } catch { /* not here */ }
  }
  return false;
}

export type SetupPlan =
  | { kind: 'ready' }
  | { kind: 'install'; missing: SystemDep[] }
  | { kind: 'fail'; missing: SystemDep[]; message: string };

/** What to do about the deps that `present` says are missing, for a root or non-root user. */
export function planSystemDeps(deps: readonly SystemDep[], present: (program: string) => boolean, isRoot: boolean): SetupPlan {
  const missing = deps.filter((d) => !present(d.program));
  if (missing.length === 0) return { kind: 'ready' };
  if (isRoot) return { kind: 'install', missing };
  return { kind: 'fail', missing, message: missingMessage(missing) };
}

export function missingMessage(missing: readonly SystemDep[], extra = ''): string {
  const packages = [...new Set(missing.map((d) => d.debianPackage))].join(' ');
  const what = missing.map((d) => `  ${d.program} (Debian package ${d.debianPackage}): ${d.usedBy}`).join('\n');
  return `the tests need system programs that are not on PATH:\n${what}\n`
    + `install them with:  sudo apt-get install -y --no-install-recommends ${packages}\n`
    + `(or: sudo bash .ci/install-system-deps.sh; as root, npm test installs them itself)${extra}`;
}

function isRootUser(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Vitest calls this once before the whole run. */
export default function setup(): void {
  const deps = parseDeps(readFileSync(DEPS_FILE, 'utf8'));
  const present = (p: string): boolean => onPath(p, process.env.PATH);
  const plan = planSystemDeps(deps, present, isRootUser());
  if (plan.kind === 'ready') return;
  if (plan.kind === 'fail') throw new Error(plan.message);
  process.stderr.write(`test set-up: installing ${plan.missing.map((d) => d.debianPackage).join(', ')} (running as root) …\n`);
  const r = spawnSync('bash', [INSTALL_SCRIPT], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  const still = plan.missing.filter((d) => !present(d.program));
  if (r.status !== 0 || still.length > 0) {
    const why = r.status !== 0 ? `\n${INSTALL_SCRIPT} exited ${String(r.status)}: ${r.stderr.trim().slice(-2000)}` : '\nthe packages installed, but these programs are still not on PATH';
    throw new Error(missingMessage(still.length > 0 ? still : plan.missing, why));
  }
}
