// Keeping webhook secrets out of logs: notification URLs carry their tokens in the path, the user info or the
// query, so a URL is logged as scheme and host only, and any text about a send is scrubbed of known secrets.
// May import: nothing.

const MASK = '***';

/** `https://hooks.slack.com/…`, `slack://…`: scheme and (for http URLs) host; never path, query or user info. */
export function redactUrl(raw: string): string {
  const text = raw.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return '<not a URL>';
  if (!/(^|\+)https?$/.test(scheme)) return `${scheme}://…`;
  try {
    const u = new URL(text);
    const hidden = u.pathname.length > 1 || u.search !== '' || u.hash !== '';
    return `${scheme}://${u.host}/${hidden ? '…' : ''}`;
  } catch {
    return `${scheme}://…`;
  }
}

/** The strings to scrub for one target: whole URLs, their path segments, user info and query values. */
export function secretsOf(urls: readonly string[], tokens: readonly string[] = []): string[] {
  const out = new Set<string>(tokens.filter((t) => t.length > 0));
  for (const raw of urls) {
    out.add(raw);
    out.add(raw.trim());
    const at = raw.indexOf('://');
    const rest = at < 0 ? raw : raw.slice(at + 3);
    // The host is not secret (redacted URLs show it); user info, path and query are.
    const slash = rest.search(/[/?#]/);
    const authority = slash < 0 ? rest : rest.slice(0, slash);
    const userinfo = authority.includes('@') ? authority.slice(0, authority.lastIndexOf('@')) : '';
    const tail = slash < 0 ? '' : rest.slice(slash);
    for (const part of [...userinfo.split(':'), ...tail.split(/[/?&=#]/)]) {
      if (part.length >= 6) {
        out.add(part);
        try {
          out.add(decodeURIComponent(part));
        } catch {
          // not percent-encoded text; the raw part is enough
        }
      }
    }
  }
  // Longest first, so that a URL is masked whole before its parts.
  return [...out].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/** Replaces every known secret in text with ***. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}
