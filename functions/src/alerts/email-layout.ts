// The HTML layout every email shares: the inline styles, the button, the host's name after its
// label, and the document shell around an email's content. Pure.
import type { HostDisplay } from './email-formatting.js';
import { html, type SafeHtml } from './html-template.js';

// Inline styles only (mail clients drop <style>), no background colours except the button's, so
// the text takes the reader's light or dark theme.
export const STYLE = {
  body: 'margin:0;padding:0;',
  container:
    'max-width:640px;margin:0 auto;padding:24px 16px;font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;',
  kicker: 'margin:0 0 4px;font-size:12px;letter-spacing:0.05em;text-transform:uppercase;color:#7a7a7a;',
  heading: (accent: string) => `margin:0 0 16px;padding-left:12px;border-left:4px solid ${accent};font-size:20px;line-height:1.3;`,
  facts: 'margin:0 0 16px;padding:0;border-collapse:collapse;',
  factLabel: 'padding:2px 16px 2px 0;color:#7a7a7a;vertical-align:top;white-space:nowrap;',
  factValue: 'padding:2px 0;vertical-align:top;',
  section: 'margin:20px 0 6px;font-size:16px;line-height:1.3;',
  muted: 'color:#7a7a7a;font-weight:normal;',
  list: 'margin:0 0 8px;padding-left:20px;',
  item: 'margin:0 0 6px;',
  code: 'font-family:SFMono-Regular,Consolas,Menlo,monospace;font-size:13px;',
  paragraph: 'margin:0 0 12px;',
  buttonParagraph: 'margin:20px 0 12px;',
  button: 'display:inline-block;padding:10px 18px;border-radius:6px;background-color:#1a73e8;color:#ffffff;text-decoration:none;font-weight:600;',
  link: 'color:#1a73e8;',
  footer: 'margin:24px 0 0;padding-top:12px;border-top:1px solid #888888;font-size:12px;color:#7a7a7a;',
} as const;

/** " (web-1.example.com)" after a host's name, or nothing when it would repeat the name. */
export function hostnameHtml(host: HostDisplay): SafeHtml | '' {
  return host.hostname && host.hostname !== host.name ? html` <span style="${STYLE.muted}">(${host.hostname})</span>` : '';
}

export function button(url: string, label: string): SafeHtml {
  return html`<p style="${STYLE.buttonParagraph}"><a href="${url}" style="${STYLE.button}">${label}</a></p>`;
}

/** The whole HTML document around an email's content. */
export function emailDocument({ title, preheader, body }: { title: string; preheader: string; body: SafeHtml }): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${title}</title>
</head>
<body style="${STYLE.body}">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${preheader}</div>
<div style="${STYLE.container}">
${body}
</div>
</body>
</html>
`.toString();
}
