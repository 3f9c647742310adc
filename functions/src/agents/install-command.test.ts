import { describe, expect, it } from 'vitest';
import { installCommand } from './install-command.js';

describe('installCommand', () => {
  it('pipes the served install script to sh with the key and endpoint', () => {
    expect(
      installCommand({ dashboardUrl: 'https://vigil.example.com/', ingestUrl: 'https://ingest.example.com', key: 'vgl_k_s' }),
    ).toBe('curl -fsSL https://vigil.example.com/install.sh | sudo sh -s -- --key vgl_k_s --endpoint https://ingest.example.com --from https://vigil.example.com');
  });
});
