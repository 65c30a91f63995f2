/**
 * The house's structure, checked on every run: no import cycle between src/ folders; a pure core
 * (src/autoscaling/, except index.ts, the package entry) with no node: module, no I/O library and
 * no process.env/argv; Redis, Kubernetes, SQLite, gRPC and HTTP-client libraries only in
 * src/adapters/ (the node:http server in src/server/ is fine).
 */
import { describe, it, expect } from 'vitest';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { findCycles, folderEdges, importsOf, matchesModule, readSources, type SourceFile } from './helpers/import-graph.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
const files = readSources(SRC);
const CORE = 'autoscaling';
const CORE_ENTRY = 'autoscaling/index.ts';
const isCore = (f: SourceFile): boolean => f.folder === CORE && f.path !== CORE_ENTRY;

/** Libraries that do I/O or belong to a driver, never in the core. */
const IO_LIBRARIES = [
  'node:', ...builtinModules.filter((m) => !m.startsWith('_')),
  'better-sqlite3', 'ioredis', 'redis', 'bullmq', '@kubernetes/', '@grpc/', 'prom-client', 'pino', 'yaml', 'commander',
  'undici', 'node-fetch', 'axios', 'got', 'playwright-core', 'chart.js', 'cli-progress',
];
/** Libraries only an adapter file may import. */
const ADAPTER_ONLY = [
  'better-sqlite3', 'ioredis', 'redis', 'bullmq', '@kubernetes/', '@grpc/', 'undici', 'node-fetch', 'axios', 'got', 'node:https', 'https',
];
const HTTP_MODULES = ['node:http', 'http'];

function violations(pick: (f: SourceFile) => string[]): string[] {
  return files.flatMap((f) => pick(f).map((what) => `${f.path}: ${what}`));
}

describe('structure of src/', () => {
  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter(isCore).length).toBeGreaterThan(10);
  });

  it('no import cycle between folders', () => {
    const edges = folderEdges(files, (f) => f.path === CORE_ENTRY);
    const cycles = findCycles(edges).map((c) => {
      const hops = c.split(' -> ');
      const examples = hops.slice(1).map((to, i) => `${hops[i] as string}->${to} e.g. ${edges.get(hops[i] as string)?.get(to)?.[0] ?? '?'}`);
      return `${c} (${examples.join('; ')})`;
    });
    expect(cycles).toEqual([]);
  });

  const rules: Array<{ name: string; check: (f: SourceFile) => string[] }> = [
    {
      name: 'the core imports no node: module and no I/O library',
      check: (f) => (isCore(f) ? f.imports.filter((s) => !s.startsWith('.') && matchesModule(s, IO_LIBRARIES)).map((s) => `imports ${s}`) : []),
    },
    {
      name: 'the core reads no process.env / argv / cwd and never exits',
      check: (f) => (isCore(f) ? [...f.text.matchAll(/\bprocess\.(env|argv|exit|cwd)\b/g)].map((m) => `uses ${m[0]}`) : []),
    },
    {
      name: 'only src/adapters/ imports Redis, Kubernetes, SQLite, gRPC or HTTP-client libraries',
      check: (f) => (f.folder === 'adapters' ? [] : f.imports.filter((s) => matchesModule(s, ADAPTER_ONLY)).map((s) => `imports ${s}`)),
    },
    {
      name: 'node:http only in the HTTP server (src/server/) and adapters',
      check: (f) => (f.folder === 'server' || f.folder === 'adapters' ? [] : f.imports.filter((s) => matchesModule(s, HTTP_MODULES)).map((s) => `imports ${s}`)),
    },
    {
      name: 'src/control/ (the loop and the ports) imports only core types and itself',
      check: (f) => (f.folder === 'control' ? f.imports.filter((s) => !s.startsWith('./') && !s.startsWith('../autoscaling/')).map((s) => `imports ${s}`) : []),
    },
  ];
  for (const r of rules) {
    it(r.name, () => expect(violations(r.check)).toEqual([]));
  }
});

describe('the checker itself', () => {
  it('reads static, type-only, side-effect, re-export and dynamic imports', () => {
    const text = [
      "import { a } from './a.js';", "import type { B } from '../b/b.js';", "import 'node:fs';",
      "export { c } from './c.js';", "const m = await import('pino');", "export * from 'yaml';",
    ].join('\n');
    expect(importsOf(text).sort()).toEqual(['../b/b.js', './a.js', './c.js', 'node:fs', 'pino', 'yaml']);
  });

  it('finds a folder cycle and names it once', () => {
    const edges = new Map([['a', new Map([['b', ['a/x.ts']]])], ['b', new Map([['c', ['b/y.ts']]])], ['c', new Map([['a', ['c/z.ts']]])]]);
    expect(findCycles(edges)).toEqual(['a -> b -> c -> a']);
    expect(findCycles(new Map([['a', new Map([['b', []]])]]))).toEqual([]);
  });

  it('matches module names and prefixes', () => {
    expect(matchesModule('@kubernetes/client-node', ['@kubernetes/'])).toBe(true);
    expect(matchesModule('node:fs/promises', ['node:'])).toBe(true);
    expect(matchesModule('fs/promises', ['fs'])).toBe(true);
    expect(matchesModule('fsx', ['fs'])).toBe(false);
  });
});
