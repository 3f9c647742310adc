import { describe, expect, it } from 'vitest';
import { agentCapRefusal, agentLimit } from './agent-cap.js';

describe('agentLimit', () => {
  it('is the deploy parameter when the workspace has no override', () => {
    expect(agentLimit(1000, undefined)).toEqual({ limit: 1000 });
  });

  it("is the workspace's override when it is a whole number of 0 or more, higher or lower", () => {
    expect(agentLimit(1000, 5)).toEqual({ limit: 5 });
    expect(agentLimit(1000, 20_000)).toEqual({ limit: 20_000 });
    expect(agentLimit(1000, 0)).toEqual({ limit: 0 });
  });

  it('ignores a malformed override, saying so, and keeps the parameter', () => {
    for (const bad of [-1, 1.5, '5', null, Number.NaN, {}]) {
      expect(agentLimit(1000, bad), String(bad)).toEqual({ limit: 1000, ignoredOverride: bad });
    }
  });
});

describe('agentCapRefusal', () => {
  it('allows one more agent below the limit', () => {
    expect(agentCapRefusal(0, 1000)).toBeUndefined();
    expect(agentCapRefusal(999, 1000)).toBeUndefined();
  });

  it('refuses at and beyond the limit, with a message that says what to do', () => {
    const refusal = agentCapRefusal(1000, 1000);
    expect(refusal?.code).toBe('resource-exhausted');
    expect(refusal?.message).toBe(
      'This workspace has reached its limit of 1,000 agents. Delete an agent it no longer needs, or ask the operator of this Vigil to raise the limit.',
    );
    expect(refusal?.details).toEqual({ limit: 1000, agents: 1000 });
    expect(agentCapRefusal(1200, 1000)?.details).toEqual({ limit: 1000, agents: 1200 });
  });

  it('speaks of one agent in the singular, and of a closed workspace when the limit is 0', () => {
    expect(agentCapRefusal(1, 1)?.message).toMatch(/^This workspace has reached its limit of 1 agent\. /);
    expect(agentCapRefusal(0, 0)?.message).toMatch(/^This workspace may not enroll agents\. /);
  });
});
