import { describe, expect, it } from 'vitest';
import { missingFor, TRIAGE } from './index';

describe('alert triage', () => {
  const none = { reason: '', assignee: '', caseId: '' };

  it('refuses a dismissal without a reason, and a blank reason', () => {
    expect(missingFor('dismiss', none)).toMatch(/reason is required/);
    expect(missingFor('dismiss', { ...none, reason: '   ' })).toMatch(/reason is required/);
    expect(missingFor('dismiss', { ...none, reason: 'known family pattern' })).toBeNull();
  });

  it('asks for the analyst before assigning and the case before escalating', () => {
    expect(missingFor('assign', { ...none, reason: 'x' })).toMatch(/analyst/);
    expect(missingFor('assign', { ...none, assignee: 'analyst' })).toBeNull();
    expect(missingFor('escalate', { ...none, reason: 'x' })).toMatch(/case/);
    expect(missingFor('escalate', { ...none, caseId: 'OP-1' })).toBeNull();
  });

  it('acknowledges and reopens without anything more', () => {
    expect(missingFor('acknowledge', none)).toBeNull();
    expect(missingFor('reopen', none)).toBeNull();
  });

  it('gives every action its own key, none taken by navigation', () => {
    const keys = TRIAGE.map((t) => t.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const taken of ['j', 'k', 'o', '/', '?']) expect(keys).not.toContain(taken);
    expect(Object.fromEntries(TRIAGE.map((t) => [t.key, t.action]))).toMatchObject({ a: 'acknowledge', d: 'dismiss', e: 'escalate' });
  });
});
