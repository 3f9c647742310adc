'use client';

import { ChakraProvider, defaultSystem } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { AuthProvider } from '@/lib/auth/auth-context';
import { initErrorReporting } from '@/lib/telemetry/error-reporting';
import { ColorModeProvider } from './color-mode';
import { EmotionRegistry } from './emotion-registry';
import { SessionCache } from './session-cache';

// At module load rather than in an effect, so that errors during hydration are reported too.
// Without NEXT_PUBLIC_SENTRY_DSN (the default) this does nothing, and at build time it is skipped.
initErrorReporting();

export function Providers({ children }: { children: ReactNode }) {
  return (
    <EmotionRegistry>
      <ChakraProvider value={defaultSystem}>
        <ColorModeProvider>
          <AuthProvider>
            <SessionCache>{children}</SessionCache>
          </AuthProvider>
        </ColorModeProvider>
      </ChakraProvider>
    </EmotionRegistry>
  );
}
