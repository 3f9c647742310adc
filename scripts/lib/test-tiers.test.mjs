import { describe, expect, it } from 'vitest';
import { buildsFor, parseTiers, TIERS } from './test-tiers.mjs';

const workspaces = (tiers) => buildsFor(tiers).map((build) => build.workspace);

describe('parseTiers', () => {
  it('is every tier when none is named, in the order npm test runs them', () => {
    expect(parseTiers([])).toEqual(['unit', 'deploy', 'host', 'outage', 'int', 'browser']);
  });

  it('runs the named tiers in that same order, each once', () => {
    expect(parseTiers(['browser', 'unit', 'browser'])).toEqual(['unit', 'browser']);
  });

  it('refuses a name that is no tier, and says which tiers there are', () => {
    expect(() => parseTiers(['unit', 'emulators'])).toThrow(`unknown tier: emulators (tiers: ${TIERS.join(', ')})`);
  });
});

describe('buildsFor', () => {
  it('builds nothing for the unit tier', () => {
    expect(workspaces(['unit'])).toEqual([]);
  });

  it('builds the agent before the functions, which embed its SHA-256, for the emulator tiers', () => {
    expect(workspaces(['int'])).toEqual(['agent', 'functions']);
    expect(workspaces(['outage'])).toEqual(['agent', 'functions']);
    expect(workspaces(['deploy'])).toEqual(['agent', 'functions']);
  });

  it('builds only the agent for the host tier, and everything once for the browser tier or the whole run', () => {
    expect(workspaces(['host'])).toEqual(['agent']);
    expect(workspaces(['browser'])).toEqual(['agent', 'functions', 'web']);
    expect(workspaces(TIERS)).toEqual(['agent', 'functions', 'web']);
  });
});
