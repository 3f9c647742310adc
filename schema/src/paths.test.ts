import { describe, expect, it } from 'vitest';
import { ACK_ID_SEPARATOR, paths } from './paths.js';

describe('paths', () => {
  it('builds the documented paths', () => {
    expect(paths.agent('ws-1', 'agent-1')).toBe('workspaces/ws-1/agents/agent-1');
    expect(paths.report('ws-1', 'agent-1', 'r-0001')).toBe('workspaces/ws-1/agents/agent-1/reports/r-0001');
    expect(paths.member('ws-1', 'uid-1')).toBe('workspaces/ws-1/members/uid-1');
    expect(paths.agentKey('ABCDEFGHIJKLMNOP')).toBe('agentKeys/ABCDEFGHIJKLMNOP');
  });

  it('throws on a segment that is not a document id, naming the argument', () => {
    expect(() => paths.workspace('a/b')).toThrow(/workspaceId .*must not contain "\/"/);
    expect(() => paths.agent('ws-1', '..')).toThrow(/agentId/);
    expect(() => paths.agent('ws-1', '../x')).toThrow(/agentId/);
    expect(() => paths.member('ws-1', '')).toThrow(/uid .*empty/);
    expect(() => paths.user('__name__')).toThrow(/uid .*reserved/);
    expect(() => paths.report('ws-1', 'agent-1', 'r/1')).toThrow(/reportId/);
    expect(() => paths.event('ws-1', '.')).toThrow(/eventId/);
    expect(() => paths.agentKey('k/1')).toThrow(/keyId/);
    expect(() => paths.agents('ws/1')).toThrow(/workspaceId/);
  });

  it('gives every (solution, test) pair its own check-mark id', () => {
    // With "__" between the two, a__b + c and a + b__c were the same document.
    expect(paths.testAck('ws', 'agent', 'a__b', 'c')).not.toBe(paths.testAck('ws', 'agent', 'a', 'b__c'));
    expect(paths.testAck('ws', 'agent', 'clamav', 'eicar-detected')).toBe(`workspaces/ws/agents/agent/acks/clamav${ACK_ID_SEPARATOR}eicar-detected`);
  });

  it('refuses a solution or test id holding the separator (it would make the id ambiguous)', () => {
    expect(() => paths.testAck('ws', 'agent', `a${ACK_ID_SEPARATOR}b`, 'c')).toThrow(/solutionId/);
    expect(() => paths.testAck('ws', 'agent', 'a', `b${ACK_ID_SEPARATOR}c`)).toThrow(/testId/);
  });
});
