// Reading config text and version strings, and writing counts in words.

/**
 * Parses "Key value" or "Key = value" lines (sshd_config, freshclam.conf, clamd.conf, jail.conf
 * style without sections). `#` starts a comment. Repeated keys keep every value in order.
 */
export function parseKeyValueLines(text: string, separator: 'space' | 'equals' = 'space'): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const match = separator === 'equals' ? /^([^=\s]+)\s*=\s*(.*)$/.exec(line) : (/^(\S+)\s+(.*)$/.exec(line) ?? /^(\S+)$/.exec(line));
    if (!match) continue;
    const key = match[1]!;
    const value = (match[2] ?? '').trim();
    entries.set(key, [...(entries.get(key) ?? []), value]);
  }
  return entries;
}

/** The first dotted version number in a text: "ClamAV 1.0.7/27470/..." gives "1.0.7". */
export function firstVersion(text: string): string | undefined {
  return /(?<![\d.])(\d+\.\d+(?:\.\d+)*(?:[-~+][\w.~+-]*)?)/.exec(text)?.[1];
}

/** "1 jail", "3 jails", "2 entries": a count with its noun (one home, shared with emails and the dashboard). */
export { plural } from '@vigil/schema';
