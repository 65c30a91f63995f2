/** Creating a file's parent directories without Node's recursive mkdir, which spins for ever under /proc. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates `dir` and any missing parents one level at a time. `mkdirSync(…, { recursive: true })`
 * never returns for a path under /proc (`bountybot run --db /proc/nope/x.db` hung with no
 * output); one level at a time fails at once with the system's reason (ENOENT, EACCES, ENOTDIR).
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}
