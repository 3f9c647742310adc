import { SOLUTION_CATALOG } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { allPlugins } from './index.js';

describe('the plugin registry', () => {
  it('has exactly one plugin per solution of the catalog, in catalog order', () => {
    expect(allPlugins.map((plugin) => plugin.id)).toEqual(Object.keys(SOLUTION_CATALOG));
  });
});
