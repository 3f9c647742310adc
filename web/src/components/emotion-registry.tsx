'use client';

// Chakra styles through Emotion, which by default writes each rule as a <style>
// inside the React tree during prerender; those nodes are not there when the
// client hydrates (next-themes' script sits in their place), so React throws the
// page away and renders it again. This registry collects the rules instead and
// hands them to Next.js to put in <head>, as Chakra's Next.js App Router guide does.
import createCache, { type EmotionCache } from '@emotion/cache';
import { CacheProvider } from '@emotion/react';
import { useServerInsertedHTML } from 'next/navigation';
import { useState, type ReactNode } from 'react';

interface Registry {
  cache: EmotionCache;
  /** Names of rules inserted since the last flush, so each is written once. */
  flush: () => { name: string; isGlobal: boolean }[];
}

function createRegistry(): Registry {
  const cache = createCache({ key: 'css' });
  // Tells Emotion not to render its own <style> elements during SSR.
  cache.compat = true;
  let pending: { name: string; isGlobal: boolean }[] = [];
  const insert = cache.insert.bind(cache);
  cache.insert = (selector, serialized, sheet, shouldCache) => {
    if (cache.inserted[serialized.name] === undefined) {
      pending.push({ name: serialized.name, isGlobal: selector === '' });
    }
    return insert(selector, serialized, sheet, shouldCache);
  };
  const flush = () => {
    const flushed = pending;
    pending = [];
    return flushed;
  };
  return { cache, flush };
}

export function EmotionRegistry({ children }: { children: ReactNode }) {
  const [registry] = useState(createRegistry);

  useServerInsertedHTML(() => {
    const entries = registry.flush();
    if (entries.length === 0) return null;
    const globals: ReactNode[] = [];
    const scopedNames: string[] = [];
    let scopedCss = '';
    for (const { name, isGlobal } of entries) {
      const css = registry.cache.inserted[name];
      if (typeof css !== 'string') continue;
      if (isGlobal) {
        globals.push(
          <style key={name} data-emotion={`${registry.cache.key}-global ${name}`}>
            {css}
          </style>,
        );
      } else {
        scopedNames.push(name);
        scopedCss += css;
      }
    }
    // React writes <style> text as CSS (it only defuses "</style"), so no raw HTML is needed.
    return (
      <>
        {globals}
        {scopedCss !== '' && <style data-emotion={`${registry.cache.key} ${scopedNames.join(' ')}`}>{scopedCss}</style>}
      </>
    );
  });

  return <CacheProvider value={registry.cache}>{children}</CacheProvider>;
}
