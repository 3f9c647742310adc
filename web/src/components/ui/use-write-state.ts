'use client';

import { useCallback, useState } from 'react';
import { describeError } from '@/lib/text/error-message';

/**
 * A button's or form's write in progress: `run` marks it pending, clears the last error, and on a
 * failure keeps the error's sentence for the component to show. It resolves either way (true when
 * the write and what follows it succeeded), so a caller never leaves a rejection unhandled.
 */
export function useWriteState() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (write: () => Promise<unknown>): Promise<boolean> => {
    setPending(true);
    setError(null);
    try {
      await write();
      return true;
    } catch (caught) {
      setError(describeError(caught));
      return false;
    } finally {
      setPending(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { pending, error, run, clearError };
}
