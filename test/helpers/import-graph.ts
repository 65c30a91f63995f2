/**
 * A small import graph of src/ for the structure rules (no dependency needed): every import,
 * re-export and dynamic import of every .ts file, and the folder-level edges between them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

export interface SourceFile {
  /** Path under src/, with '/' separators: 'autoscaling/engine.ts'. */
  path: string;
  /** Top folder under src/ ('.' for a file directly in src/). */
  folder: string;
  /** Every module specifier it imports or re-exports, as written. */
  imports: string[];
  text: string;
}

const IMPORT_RE = /(?:^|[\n;])\s*(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Module specifiers in a source text (comments are not stripped: keep example imports out of them). */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (spec !== undefined) out.push(spec);
  }
  return out;
}

export function readSources(srcDir: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const path = relative(srcDir, full).split(sep).join('/');
        const text = readFileSync(full, 'utf8');
        files.push({ path, folder: path.includes('/') ? (path.split('/')[0] as string) : '.', imports: importsOf(text), text });
      }
    }
  };
  walk(srcDir);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** The top folder a relative import of `from` lands in; undefined for a package import. */
export function targetFolder(from: SourceFile, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = normalize(join(dirname(from.path), spec)).split(sep).join('/');
  return target.includes('/') ? target.split('/')[0] : '.';
}

/** Folder -> folder -> files making that edge. */
export function folderEdges(files: readonly SourceFile[], skip: (f: SourceFile) => boolean = () => false): Map<string, Map<string, string[]>> {
  const edges = new Map<string, Map<string, string[]>>();
  for (const f of files) {
    if (skip(f)) continue;
    for (const spec of f.imports) {
      const to = targetFolder(f, spec);
      if (to === undefined || to === f.folder) continue;
      const row = edges.get(f.folder) ?? new Map<string, string[]>();
      row.set(to, [...(row.get(to) ?? []), f.path]);
      edges.set(f.folder, row);
    }
  }
  return edges;
}

/** Every elementary cycle through the graph, each once, as 'a -> b -> a'. */
export function findCycles(edges: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[] {
  const found = new Set<string>();
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])].sort();
  const visit = (start: string, node: string, path: string[]): void => {
    for (const next of edges.get(node)?.keys() ?? []) {
      if (next === start) {
        // Rotate so the smallest folder leads: one spelling per cycle.
        const i = path.indexOf([...path].sort()[0] as string);
        const c = [...path.slice(i), ...path.slice(0, i)];
        found.add([...c, c[0]].join(' -> '));
      } else if (!path.includes(next) && path.length < nodes.length) {
        visit(start, next, [...path, next]);
      }
    }
  };
  for (const n of nodes) visit(n, n, [n]);
  return [...found].sort();
}

/** True when `spec` is `name` or a subpath of it; names ending in '/' or ':' are prefixes. */
export function matchesModule(spec: string, names: readonly string[]): boolean {
  return names.some((n) => (n.endsWith('/') || n.endsWith(':') ? spec.startsWith(n) : spec === n || spec.startsWith(`${n}/`)));
}
