import { describe, expect, it } from 'vitest';
import { keySegment, slugSegment } from './report.js';

describe('naming helpers', () => {
  it('turns free names into report keys and test ids', () => {
    expect(keySegment('Common Web Attack')).toBe('Common-Web-Attack');
    expect(keySegment('mail.example.org')).toBe('mail.example.org');
    expect(keySegment('__x')).toBe('x');
    expect(slugSegment('Mail.Example.org')).toBe('mail.example.org');
    expect(slugSegment('*.example.org')).toBe('example.org');
  });
});
