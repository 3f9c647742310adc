'use client';

import { ChakraProvider, defaultSystem } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { AuthProvider } from '@/lib/auth-context';
import { ColorModeProvider } from './color-mode';
import { EmotionRegistry } from './emotion-registry';
import { SessionCache } from './session-cache';

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
