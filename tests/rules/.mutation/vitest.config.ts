import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { include: ['tests/rules/.mutation/*.check.ts'], testTimeout: 60_000, hookTimeout: 60_000 } });
