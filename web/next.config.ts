import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

// The monorepo root: npm hoists every dependency there, and Turbopack resolves
// nothing outside its root. Set explicitly because the root lockfile may be absent.
const monorepoRoot = fileURLToPath(new URL('..', import.meta.url));

const nextConfig: NextConfig = {
  // A static site served by Firebase Hosting: all data comes from the client SDK.
  output: 'export',
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
  turbopack: {
    root: monorepoRoot,
    rules: {
      // schema/src imports `./x.js` for x.ts (TypeScript ESM); see scripts/schema-imports-loader.cjs.
      '*.ts': {
        condition: { path: /(^|[\\/])schema[\\/]src[\\/]/ },
        loaders: [fileURLToPath(new URL('./scripts/schema-imports-loader.cjs', import.meta.url))],
        as: '*.ts',
      },
    },
  },
  experimental: { optimizePackageImports: ['@chakra-ui/react'] },
};

export default nextConfig;
