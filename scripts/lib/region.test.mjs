// The scripts run on plain Node (no TypeScript), so emulator-env.mjs restates the functions' region;
// this pins it to its one home, FUNCTIONS_REGION in @vigil/schema/constants.
import { describe, expect, it } from 'vitest';
import { FUNCTIONS_REGION } from '../../schema/src/constants/protocol.ts';
import { REGION } from './emulator-env.mjs';

describe("the scripts' region", () => {
  it('is the region the functions run in', () => {
    expect(REGION).toBe(FUNCTIONS_REGION);
  });
});
