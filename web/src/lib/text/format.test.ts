import { describe, expect, it } from 'vitest';
import { formatConfigurationValue, formatInterval, formatRelative, plural } from './format';

describe('formatRelative', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  it('says just now within a minute, then the largest whole unit', () => {
    expect(formatRelative(new Date('2026-01-01T11:59:31Z'), now, 'en')).toBe('just now');
    expect(formatRelative(new Date('2026-01-01T11:57:00Z'), now, 'en')).toBe('3 minutes ago');
    expect(formatRelative(new Date('2026-01-01T09:00:00Z'), now, 'en')).toBe('3 hours ago');
    expect(formatRelative(new Date('2025-12-31T12:00:00Z'), now, 'en')).toBe('yesterday');
  });
});

describe('formatInterval', () => {
  it('reads intervals in the largest units', () => {
    expect(formatInterval(45)).toBe('45 s');
    expect(formatInterval(300)).toBe('5 min');
    expect(formatInterval(3600)).toBe('1 h');
    expect(formatInterval(5430)).toBe('1 h 30 min 30 s');
  });
});

describe('formatConfigurationValue', () => {
  it('shows every kind of value as text', () => {
    expect(formatConfigurationValue(['sshd', 'nginx'])).toBe('sshd, nginx');
    expect(formatConfigurationValue([])).toBe('(empty list)');
    expect(formatConfigurationValue(null)).toBe('(not set)');
    expect(formatConfigurationValue(false)).toBe('false');
    expect(formatConfigurationValue('<img src=x>')).toBe('<img src=x>');
  });
});

describe('plural', () => {
  it('counts', () => {
    expect(plural(1, 'agent')).toBe('1 agent');
    expect(plural(2, 'agent')).toBe('2 agents');
  });
});
