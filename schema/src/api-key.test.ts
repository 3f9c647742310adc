import { describe, expect, it } from 'vitest';
import { displayKeyPrefix, formatApiKey, parseApiKey } from './api-key.js';

const keyId = 'abcdefghijklmnop';
const secret = 'A'.repeat(20) + '_-' + 'z'.repeat(21);

describe('API key format', () => {
  it('round-trips a key through format and parse', () => {
    const key = formatApiKey({ keyId, secret });
    expect(key).toBe(`vgl_${keyId}_${secret}`);
    expect(parseApiKey(key)).toEqual({ keyId, secret });
  });

  it('tolerates surrounding whitespace from a pasted key', () => {
    expect(parseApiKey(`  vgl_${keyId}_${secret}\n`)).toEqual({ keyId, secret });
  });

  it('rejects anything that is not exactly a Vigil key', () => {
    const bad = [
      undefined,
      null,
      42,
      '',
      'vgl_',
      `VGL_${keyId}_${secret}`,
      `vgl_${keyId}_${secret}x`,
      `vgl_${keyId}_${secret.slice(1)}`,
      `vgl_ABCDEFGHIJKLMNOP_${secret}`,
      `vgl_${keyId.slice(1)}_${secret}`,
      `vgl_${keyId}_${secret.slice(0, 42)}=`,
      `sk_${keyId}_${secret}`,
    ];
    for (const key of bad) expect(parseApiKey(key), String(key)).toBeUndefined();
  });

  it('refuses to format a key from malformed parts', () => {
    expect(() => formatApiKey({ keyId: 'short', secret })).toThrow();
    expect(() => formatApiKey({ keyId, secret: 'short' })).toThrow();
  });

  it('shows no part of the secret in the display prefix', () => {
    expect(displayKeyPrefix(keyId)).toBe(`vgl_${keyId}_…`);
  });
});
