/**
 * The fresh-machine set-up: which system programs the tests need, and what the global set-up
 * does when they are missing (install as root, else fail naming the command). PATH is hidden
 * here rather than uninstalling anything.
 */
import { describe, it, expect, afterEach, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import setup, { DEPS_FILE, INSTALL_SCRIPT, onPath, parseDeps, planSystemDeps, type SystemDep } from './setup/system-deps.js';

const deps = parseDeps(readFileSync(DEPS_FILE, 'utf8'));
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'bb-deps-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the list of system programs', () => {
  it('maps each program to its Debian package', () => {
    expect(deps.map((d) => [d.program, d.debianPackage])).toEqual([
      ['promtool', 'prometheus'], ['chromium', 'chromium'], ['redis-server', 'redis-server'],
    ]);
    expect(deps.every((d) => d.usedBy.length > 0)).toBe(true);
  });

  it('rejects a malformed row naming the line', () => {
    expect(() => parseDeps('# c\npromtool\n')).toThrow(/line 2: expected "program<TAB>package/);
  });
});

describe('onPath', () => {
  it('finds executable files only', () => {
    const d = tempDir();
    writeFileSync(join(d, 'promtool'), '#!/bin/sh\n');
    chmodSync(join(d, 'promtool'), 0o755);
    writeFileSync(join(d, 'chromium'), 'not executable');
    chmodSync(join(d, 'chromium'), 0o644);
    expect(onPath('promtool', `/nonexistent:${d}`)).toBe(true);
    expect(onPath('chromium', d)).toBe(false);
    expect(onPath('promtool', undefined)).toBe(false);
  });
});

describe('planSystemDeps', () => {
  const some: SystemDep[] = deps.slice(0, 2);
  const cases = [
    { name: 'all present', present: () => true, root: false, kind: 'ready' },
    { name: 'missing, as root: install', present: () => false, root: true, kind: 'install' },
    { name: 'missing, not root: fail with the command', present: () => false, root: false, kind: 'fail' },
  ];
  for (const c of cases) {
    it(c.name, () => expect(planSystemDeps(some, c.present, c.root).kind).toBe(c.kind));
  }

  it('names every missing program, its package and the exact install command', () => {
    const plan = planSystemDeps(deps, (p) => p === 'chromium', false);
    expect(plan.kind).toBe('fail');
    if (plan.kind !== 'fail') return;
    expect(plan.missing.map((d) => d.program)).toEqual(['promtool', 'redis-server']);
    expect(plan.message).toContain('promtool (Debian package prometheus)');
    expect(plan.message).toContain('sudo apt-get install -y --no-install-recommends prometheus redis-server');
  });
});

describe('global set-up with the programs hidden from PATH', () => {
  it('a non-root run stops before any test with the install command', () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    vi.stubEnv('PATH', tempDir());
    try {
      expect(() => setup()).toThrow(/install them with: {2}sudo apt-get install -y --no-install-recommends prometheus chromium redis-server/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('the install script, not as root, prints the same command and exits 1', () => {
    const bin = tempDir();
    writeFileSync(join(bin, 'id'), '#!/bin/sh\necho 1000\n');
    chmodSync(join(bin, 'id'), 0o755);
    symlinkSync('/usr/bin/dirname', join(bin, 'dirname'));
    const r = spawnSync('/bin/bash', [INSTALL_SCRIPT], { env: { PATH: bin }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('missing system packages: prometheus chromium redis-server — install with: '
      + 'sudo apt-get install -y --no-install-recommends prometheus chromium redis-server');
  });
});
