import { describe, expect, it } from 'vitest';
import { MESSAGE_ROLES } from '../../../src/engine/workload/message-roles.ts';
import { AGENT_SENT_TYPES } from '../../../src/engine/workload/workload-options.ts';
import { isSafeAgentId, MESSAGE_TYPES } from '../../../src/protocol/index.ts';

describe('MESSAGE_ROLES', () => {
  it('covers every type with a safe fixed sender or another agent', () => {
    expect(Object.keys(MESSAGE_ROLES).sort()).toEqual([...MESSAGE_TYPES].sort());
    for (const type of MESSAGE_TYPES) {
      const role = MESSAGE_ROLES[type];
      if (role.sender === undefined) expect(role.senderKind).toBe('agent');
      else expect(isSafeAgentId(role.sender)).toBe(true);
    }
    expect(MESSAGE_TYPES.filter((type) => MESSAGE_ROLES[type].sender === undefined)).toEqual([
      ...AGENT_SENT_TYPES,
    ]);
  });

  it('follows the documented senders and tags', () => {
    expect(MESSAGE_ROLES.captain_to_agent).toEqual({
      sender: 'Captain',
      senderKind: 'captain',
      tag: 'captain',
    });
    expect(MESSAGE_ROLES.onboarding).toEqual({ sender: 'SYSTEM', senderKind: 'system', tag: 'onboarding' });
    expect(MESSAGE_ROLES.human_to_agent).toEqual({ sender: 'Human', senderKind: 'human', tag: undefined });
    expect(MESSAGE_ROLES.multi_agent_request.tag).toBe('coordination');
  });
});
