import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { LIMIT_CODES } from '../src/autoscaling/limits.js';
import { scalingShape } from '../src/autoscaling/scaling-config.js';
import { configTableMarkdown, kubernetesTableMarkdown } from '../src/config/docs.js';
import { runtimeShape } from '../src/config/schema.js';

const readme = readFileSync('README.md', 'utf8');

describe('README stays true to the schemas', () => {
  it('the configuration table is the one rendered from the schemas (every key, default, range)', () => {
    expect(readme).toContain(configTableMarkdown());
  });
  it('the kubernetes: table is the one rendered from its schema', () => {
    expect(readme).toContain(kubernetesTableMarkdown());
  });
  it('runtime keys and engine keys never collide in the flat autoscaling: section', () => {
    const engineKeys = new Set(Object.keys(scalingShape));
    expect(Object.keys(runtimeShape).filter((k) => engineKeys.has(k))).toEqual([]);
  });
  it('every limit code is documented', () => {
    for (const code of Object.keys(LIMIT_CODES)) expect(readme).toContain(`\`${code}\``);
  });
});
