// Text safety of every email: anything an agent or a user supplied becomes one short line of display
// text that cannot forge lines or headers, display differently than it reads, or be a clickable
// lure (links, addresses and public domain names are defanged). HTML escaping happens later, in
// `html` (html-template.ts). Pure.

/** Longest value, message or name shown in an email; longer ones end in an ellipsis. */
export const MAX_VALUE_LENGTH = 300;
/** Subjects stay scannable in an inbox list. */
export const MAX_SUBJECT_LENGTH = 150;

/**
 * C0 and C1 controls (CR and LF included: header injection), Unicode line and paragraph separators,
 * and bidi embeddings, overrides and isolates (text that displays differently than it reads).
 */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Cuts to at most `max` characters (code points, so no emoji is split), the last being "…". */
export function truncate(value: string, max = MAX_VALUE_LENGTH): string {
  const characters = Array.from(value);
  if (characters.length <= max) return value;
  return `${characters
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

const URL_WITH_SCHEME = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/?#]*)/gi;
const WWW_HOST = /\bwww\.[^\s/?#]*/gi;
const EMAIL_ADDRESS = /([^\s@<>()[\]]+)@([a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi;

const dotsAndAts = (value: string) => value.replace(/\./g, '[.]').replace(/@/g, '[@]');

/** A dotted name whose last label is letters, as a domain's top-level label is: `evil-corp.com`. */
const BARE_DOMAIN = /\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,24})\b(?![\w-])/gi;
/**
 * Top-level domains that mail clients make links of and lures use. A dotted name ending otherwise
 * (`af-packet.threads`, `db-1.internal`: configuration keys and internal names) is a link only when
 * a path follows it (`evil.example/login`).
 */
const PUBLIC_TLDS = new Set(
  'com net org info biz io co ai app dev xyz top online site website store shop club live link click me us uk de fr nl ru cn jp br in au ca eu es it pl ch se no be at dk fi cz pt gr ro hu tk ml ga cf gq pw cc tv ws mobi pro name email support help services security cloud tech digital page'.split(
    ' ',
  ),
);
/**
 * Last labels that name a file's kind, not a domain: `clamd.conf` and `jail.local` are what Vigil
 * reports about and stay readable. A few are also country domains (`.sh`, `.py`): a lure there is
 * improbable, and a file name seen as a link is the lesser harm.
 */
const FILE_SUFFIXES = new Set(
  'conf cfg config local yaml yml json toml ini log txt rules service socket timer target mount pem crt key cert csr sh py mjs js ts d db sock pid lock bak old dpkg deb rpm gz tgz xz zip tar so dat list sources rules md'.split(
    ' ',
  ),
);

/**
 * Defangs what a mail client would turn into a link: "https://evil.example" becomes
 * "hxxps[://]evil[.]example", "www.evil.example" "www[.]evil[.]example", "a@evil.example"
 * "a[@]evil[.]example" (the convention security people read). An agent name like "URGENT: verify at
 * https://evil.example" then cannot be a clickable lure in our own sender's mail. Bare domain names
 * in free text are defanged too ("evil-corp[.]com"); versions and file names (`clamd.conf 1.4.2`)
 * stay as they are, and so does a host's own hostname (`displayHostname`): people read their
 * hosts' names in every alert, and only those who hold the agent's key can set it.
 */
export function defang(value: string): string {
  // Last, so the forms above are already "[.]" and no longer match: mail clients make links of
  // bare domains too ("verify at evil-corp.com/login").
  return defangLinks(value).replace(BARE_DOMAIN, (name: string, last: string, offset: number, whole: string) => {
    const label = last.toLowerCase();
    if (FILE_SUFFIXES.has(label)) return name;
    return PUBLIC_TLDS.has(label) || whole[offset + name.length] === '/' ? dotsAndAts(name) : name;
  });
}

/** URLs with a scheme, `www.` names and addresses only: for a hostname, shown as the host's own name. */
function defangLinks(value: string): string {
  return value
    .replace(URL_WITH_SCHEME, (_match, scheme: string, authority: string) => {
      const lower = scheme.toLowerCase();
      const shown = lower === 'http' || lower === 'https' ? lower.replace('http', 'hxxp') : lower;
      return `${shown}[://]${dotsAndAts(authority)}`;
    })
    .replace(WWW_HOST, dotsAndAts)
    .replace(EMAIL_ADDRESS, (_match, local: string, domain: string) => `${local}[@]${dotsAndAts(domain)}`);
}

/**
 * One line of display text from anything an agent or a user supplied: control characters and line
 * breaks become spaces (so a message cannot forge lines of our text part or headers), whitespace
 * collapses, links are defanged, and long text is truncated. HTML escaping happens later, in `html`.
 */
export function displayText(value: string, max = MAX_VALUE_LENGTH): string {
  return truncate(defang(oneLine(value)), max);
}

/** A hostname as display text: like `displayText`, but a bare domain name stays readable. */
export function displayHostname(value: string): string {
  return truncate(defangLinks(oneLine(value)), MAX_VALUE_LENGTH);
}

function oneLine(value: string): string {
  return value.replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
}

/** A subject line: a single line whatever it contains, and short. */
export function subjectLine(value: string): string {
  return displayText(value, MAX_SUBJECT_LENGTH);
}
