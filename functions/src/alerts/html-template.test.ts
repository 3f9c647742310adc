import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from './html-template.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeHtml('plain text, ünïcödé ✓')).toBe('plain text, ünïcödé ✓');
  });
});

describe('html', () => {
  it('escapes every interpolated string, in content and in attributes', () => {
    const hostile = '"><img src=x onerror=alert(1)>';
    expect(html`<a href="${hostile}">${hostile}</a>`.toString()).toBe(
      '<a href="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</a>',
    );
  });

  it('nests its own output unescaped, joins arrays and drops null, undefined and false', () => {
    const items = ['<b>', 'a & b'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}${null}${undefined}${false}${0}</ul>`.toString()).toBe('<ul><li>&lt;b&gt;</li><li>a &amp; b</li>0</ul>');
  });

  it('trusts only its own output, not an object that renders as markup', () => {
    const impostor = { toString: () => '<script>' } as unknown as string;
    expect(html`${impostor}`.toString()).toBe('&lt;script&gt;');
  });
});
