// Splits a command line given as one flag value ("/bin/systemctl reboot", "needs-restarting -r") into argv,
// the way a POSIX shell splits words: spaces separate, quotes group, backslash escapes. No expansion of any kind.
// May import: nothing.

/** Returns the words, or a reason when the quoting is broken. */
export function splitWords(
  text: string,
): { readonly ok: true; readonly words: string[] } | { readonly ok: false; readonly reason: string } {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] ?? '')) cur += text[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { ok: false, reason: 'ends with a lone backslash' };
      cur += text[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '\n' || c === '\r') {
      return { ok: false, reason: 'contains a line break' };
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) return { ok: false, reason: `unclosed ${quote} quote` };
  if (inWord) words.push(cur);
  return { ok: true, words };
}
