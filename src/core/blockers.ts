// Blockers combined as "any blocks" (an error counts as blocked, with its cause), and kured-style
// filtering of Prometheus ALERTS so the Prometheus adapter stays a thin HTTP call.
// May import: nothing.

/** What one blocker answered: its check, or the error that made the answer unknown. */
export type BlockerOutcome =
  | { readonly name: string; readonly blocked: boolean; readonly reasons: readonly string[] }
  | { readonly name: string; readonly error: string };

export interface BlockVerdict {
  readonly blocked: boolean;
  /** One line per blocking cause, prefixed by the blocker's name. Empty when nothing blocks. */
  readonly reasons: readonly string[];
  /** Names of the blockers that block (including those that failed). */
  readonly by: readonly string[];
}

export function anyBlocks(outcomes: readonly BlockerOutcome[]): BlockVerdict {
  const reasons: string[] = [];
  const by: string[] = [];
  for (const o of outcomes) {
    if ('error' in o) {
      by.push(o.name);
      reasons.push(`${o.name}: could not check, counted as blocked: ${o.error}`);
    } else if (o.blocked) {
      by.push(o.name);
      if (o.reasons.length === 0) reasons.push(`${o.name}: blocked`);
      for (const r of o.reasons) reasons.push(`${o.name}: ${r}`);
    }
  }
  return { blocked: by.length > 0, reasons, by };
}

/** One sample of the ALERTS series. */
export interface AlertSample {
  readonly labels: Readonly<Record<string, string>>;
  /** The sample value; 0 means not active. Defaults to 1. */
  readonly value?: number;
}

export interface AlertFilter {
  /** kured's --alert-filter-regexp. Alerts whose name matches are ignored, unless matchOnly. */
  readonly filterRegexp?: RegExp;
  /** kured's --alert-filter-match-only: only alerts whose name matches the regexp count. */
  readonly matchOnly?: boolean;
  /** kured's --alert-firing-only: pending alerts do not count. */
  readonly firingOnly?: boolean;
}

/** Names of the alerts that block, deduplicated and sorted. */
export function filterAlerts(alerts: readonly AlertSample[], filter: AlertFilter): string[] {
  const names = new Set<string>();
  for (const alert of alerts) {
    const name = alert.labels['alertname'];
    if (name === undefined || name === '' || (alert.value ?? 1) === 0) continue;
    if (filter.firingOnly && alert.labels['alertstate'] !== 'firing') continue;
    if (filter.filterRegexp !== undefined) {
      const re = new RegExp(filter.filterRegexp.source, filter.filterRegexp.flags.replace(/[gy]/g, ''));
      if (re.test(name) !== Boolean(filter.matchOnly)) continue;
    }
    names.add(name);
  }
  return [...names].sort();
}

/** The BlockCheck-shaped answer for a set of counted alerts. */
export function alertsVerdict(names: readonly string[]): { blocked: boolean; reasons: string[] } {
  if (names.length === 0) return { blocked: false, reasons: [] };
  return { blocked: true, reasons: [`${names.length} active alert(s): ${names.join(', ')}`] };
}
