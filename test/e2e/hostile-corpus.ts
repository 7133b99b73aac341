// The corpus of hostile input for test/e2e/hostile.test.ts: flag values and kubeconfigs the CLI must refuse
// with exit code 2, a message that names the problem, and no write to the cluster; values that are weird but
// valid and must never reach a shell; and records written by someone else that must not be trusted.

/** A kubeconfig the case runs with, made from the simulator's good one. */
export const KubeVariant = {
  /** The simulator's own kubeconfig. */
  Good: 'good',
  /** YAML that does not parse. */
  Corrupt: 'corrupt',
  /** Valid YAML that is not a kubeconfig (a list). */
  NotAMap: 'not-a-map',
  /** No clusters, users or contexts. */
  Empty: 'empty',
  /** A path where there is no file. */
  Missing: 'missing',
  /** Random bytes. */
  Binary: 'binary',
  /** certificate-authority-data that is not base64 of a certificate. */
  BadCaData: 'bad-ca-data',
  /** current-context names a context that does not exist. */
  DanglingContext: 'dangling-context',
  /** The server is a port where nothing listens. */
  Unreachable: 'unreachable',
  /** A token the server does not accept (expired credentials): 401. */
  ExpiredToken: 'expired-token',
  /** The server presents a certificate from another CA than the kubeconfig's. */
  OtherCa: 'other-ca',
} as const;
export type KubeVariant = (typeof KubeVariant)[keyof typeof KubeVariant];

export interface RejectCase {
  readonly name: string;
  /** Arguments after the command; the kubeconfig flag is added. */
  readonly args: readonly string[];
  /** Default run. */
  readonly command?: 'run' | 'status' | 'plan';
  readonly kube?: KubeVariant;
  readonly env?: Readonly<Record<string, string>>;
  /** Every one of these must appear in stderr. */
  readonly message: readonly RegExp[];
}

const MUST_QUOTE = (s: string): RegExp =>
  new RegExp(JSON.stringify(s).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** Refused with exit 2 before anything is written. */
export const REJECTED: readonly RejectCase[] = [
  // Windows and time zones.
  { name: 'an hour past 23', args: ['--window', '25:00-26:00'], message: [/--window/, /"25:00"/, /0-23/] },
  { name: 'a window without an end', args: ['--window', 'mon-fri 02:00'], message: [/--window/, /"-"/] },
  { name: 'an unknown day', args: ['--window', 'funday 1am-2am'], message: [/unknown day "funday"/] },
  { name: 'an empty window', args: ['--window', '3am-3am'], message: [/empty window/] },
  {
    name: 'a window with a shell command',
    args: ['--window', 'mon-fri 2am-5am; reboot'],
    message: [/--window/, /invalid window/],
  },
  {
    name: 'status with a malformed window',
    command: 'status',
    args: ['--window', 'x'],
    message: [/--window/],
  },
  {
    name: 'an unknown time zone',
    args: ['--time-zone', 'Mars/Olympus'],
    message: [/unknown time zone "Mars\/Olympus"/, /--time-zone/],
  },
  {
    name: 'a time zone that is a path',
    args: ['--time-zone', '../../etc/passwd'],
    message: [/unknown time zone/, /--time-zone/],
  },
  {
    name: 'a time zone with a command',
    args: ['--time-zone', 'UTC; reboot'],
    message: [/unknown time zone/],
  },
  { name: 'kured --start-time 24:00', args: ['--start-time', '24:00'], message: [/--start-time "24:00"/] },
  { name: 'kured --end-time 12:60', args: ['--end-time', '12:60'], message: [/--end-time "12:60"/] },
  { name: 'kured --reboot-days xyz', args: ['--reboot-days', 'xyz'], message: [/--reboot-days "xyz"/] },
  // Durations.
  { name: 'a negative duration', args: ['--drain-timeout', '-5s'], message: [/--drain-timeout/, /negative/] },
  { name: 'a negative duration after =', args: ['--lock-ttl=-1h'], message: [/--lock-ttl/, /negative/] },
  {
    name: 'a huge duration',
    args: ['--drain-timeout', '99999h'],
    message: [/--drain-timeout/, /maximum 720h/],
  },
  {
    name: 'a duration too large for a number',
    args: ['--reboot-timeout', '9'.repeat(400)],
    message: [/--reboot-timeout/, /too large|maximum/],
  },
  { name: 'scientific notation', args: ['--lock-ttl', '1e9'], message: [/--lock-ttl/, /"1e9"/] },
  { name: 'NaN', args: ['--probe-timeout', 'NaN'], message: [/--probe-timeout/] },
  { name: 'Infinity', args: ['--lock-release-delay', 'Infinity'], message: [/--lock-release-delay/] },
  { name: 'an empty duration', args: ['--reboot-timeout', ''], message: [/--reboot-timeout/, /empty/] },
  {
    name: 'a negative duration from the environment',
    args: [],
    env: { REBOOT_DAEMON_DRAIN_TIMEOUT: '-1s' },
    message: [/drain-timeout/, /negative/],
  },
  { name: 'concurrency 0', args: ['--concurrency', '0'], message: [/--concurrency "0"/] },
  { name: 'a fractional concurrency', args: ['--concurrency', '1.5'], message: [/--concurrency "1.5"/] },
  {
    name: 'a grace period below -1',
    args: ['--drain-grace-period', '-2'],
    message: [/--drain-grace-period/],
  },
  // Selectors.
  {
    name: 'a selector with a shell command',
    args: ['-l', 'app=web;rm -rf /'],
    message: [MUST_QUOTE('app=web;rm -rf /'), /--node-selector/, /";"/],
  },
  {
    name: 'a selector with $(...)',
    args: ['--drain-pod-selector', 'app=$(reboot)'],
    message: [/--drain-pod-selector/, /"\$"/],
  },
  {
    name: 'a selector with backticks',
    args: ['--blocking-pod-selector', '`id`'],
    message: [/--blocking-pod-selector/, /"`"/],
  },
  {
    name: 'a selector with a newline',
    args: ['-l', 'a=b\nc=d'],
    message: [/--node-selector/, /control character/],
  },
  { name: 'a selector with ||', args: ['-l', 'a in (x) || true'], message: [/--node-selector/] },
  { name: 'a selector with quotes', args: ['-l', 'a="b"'], message: [/--node-selector/] },
  {
    name: 'node labels with a shell command',
    args: ['--pre-reboot-node-labels', 'a=b;reboot'],
    message: [/--pre-reboot-node-labels/],
  },
  // Node names, paths and commands with shell metacharacters.
  { name: 'a node name with ;', args: ['node-1;reboot'], message: [/invalid node name "node-1;reboot"/] },
  { name: 'a node name with $(...)', args: ['$(reboot)'], message: [/invalid node name "\$\(reboot\)"/] },
  { name: 'a node name with backticks', args: ['`reboot`'], message: [/invalid node name "`reboot`"/] },
  {
    name: 'a node name with a newline',
    args: ['node-1\nreboot'],
    message: [/invalid node name "node-1\\nreboot"/],
  },
  { name: 'a node name that climbs out', args: ['../node-1'], message: [/invalid node name "\.\.\/node-1"/] },
  { name: 'a 300-character node name', args: ['a'.repeat(300)], message: [/invalid node name/, /253/] },
  { name: 'status of a node name with ;', command: 'status', args: ['a;b'], message: [/invalid node name/] },
  {
    name: 'a sentinel outside /run with a command',
    args: ['--reboot-sentinel', '/etc/x; rm -rf /'],
    message: [/--reboot-sentinel/, /\/run/],
  },
  {
    name: 'a sentinel that climbs out of /run',
    args: ['--reboot-sentinel', '/run/../etc/shadow'],
    message: [/--reboot-sentinel "\/run\/\.\.\/etc\/shadow"/],
  },
  { name: 'a relative sentinel', args: ['--reboot-sentinel', 'run/x'], message: [/--reboot-sentinel/] },
  {
    name: 'a reboot command with a line break',
    args: ['--reboot-command', 'systemctl\nreboot'],
    message: [/--reboot-command/, /line break/],
  },
  { name: 'an empty reboot command', args: ['--reboot-command', ''], message: [/--reboot-command/, /empty/] },
  {
    name: 'a sentinel command with an unclosed quote',
    args: ['--reboot-sentinel-command', 'test -e "/run/x'],
    message: [/--reboot-sentinel-command/, /unclosed/],
  },
  { name: 'an unknown reboot method', args: ['--reboot-method', 'reboot'], message: [/reboot-method/] },
  { name: 'a namespace with ;', args: ['--pod-namespace', 'a;b'], message: [/--pod-namespace "a;b"/] },
  { name: 'an image with a command', args: ['--image', 'busybox; rm -rf /'], message: [/--image/] },
  { name: 'a pull secret with ;', args: ['--image-pull-secret', 'a;b'], message: [/--image-pull-secret/] },
  {
    name: 'a file: notify URL',
    args: ['--notify-url', 'file:///etc/passwd'],
    message: [/--notify-url/, /file/],
  },
  {
    name: 'a Prometheus URL that is not one',
    args: ['--prometheus-url', 'not a url'],
    message: [/--prometheus-url/],
  },
  {
    name: 'a broken regular expression',
    args: ['--alert-filter-regexp', '(x'],
    message: [/--alert-filter-regexp/],
  },
  // Kubeconfigs, contexts and servers.
  {
    name: 'a corrupt kubeconfig',
    kube: KubeVariant.Corrupt,
    args: [],
    message: [/kubeconfig .*not valid/, /hint:/],
  },
  { name: 'a kubeconfig that is a YAML list', kube: KubeVariant.NotAMap, args: [], message: [/kubeconfig/] },
  { name: 'an empty kubeconfig', kube: KubeVariant.Empty, args: [], message: [/kubeconfig .*no clusters/] },
  {
    name: 'a missing kubeconfig',
    kube: KubeVariant.Missing,
    args: [],
    message: [/kubeconfig .*does not exist/],
  },
  { name: 'a binary kubeconfig', kube: KubeVariant.Binary, args: [], message: [/kubeconfig/] },
  {
    name: 'a kubeconfig whose CA data is not a certificate',
    kube: KubeVariant.BadCaData,
    args: ['--request-timeout', '2s'],
    message: [/certificate|kubeconfig/],
  },
  {
    name: 'a current-context that does not exist',
    kube: KubeVariant.DanglingContext,
    args: [],
    message: [/context "gone"/],
  },
  {
    name: 'a wrong --context',
    args: ['--context', 'no-such-context'],
    message: [/context "no-such-context" not found/, /--context/],
  },
  {
    name: 'run against an unreachable server',
    kube: KubeVariant.Unreachable,
    args: ['--request-timeout', '2s'],
    message: [/cannot reach the API server https:\/\/127\.0\.0\.1:\d+/, /--kubeconfig/],
  },
  {
    name: 'status against an unreachable server',
    command: 'status',
    kube: KubeVariant.Unreachable,
    args: ['--request-timeout', '2s'],
    message: [/cannot reach the API server https:\/\/127\.0\.0\.1:\d+/, /kubectl cluster-info/],
  },
  {
    name: 'run with expired credentials',
    kube: KubeVariant.ExpiredToken,
    args: [],
    message: [/rejected the credentials \(401 Unauthorized\)/, /log in again/],
  },
  {
    name: 'plan with expired credentials',
    command: 'plan',
    kube: KubeVariant.ExpiredToken,
    args: [],
    message: [/401/, /credentials/],
  },
  {
    name: 'status against a server whose certificate is from another CA',
    command: 'status',
    kube: KubeVariant.OtherCa,
    args: ['--request-timeout', '2s'],
    message: [/certificate that is not trusted/, /certificate-authority-data/],
  },
];

/**
 * Sentinel paths that are valid (under /run, no "..") but full of shell syntax. Each would make the check
 * report "required" (exit 10) if it were spliced into the check script, so a run that reports every node
 * "not required" proves it was not.
 */
export const WEIRD_SENTINEL_PATHS: readonly string[] = [
  '/run/none; exit 10',
  '/run/$(exit 10)',
  '/run/`exit 10`',
  '/run/none\nexit 10',
  '/run/x" ] || exit 10; [ "',
  "/run/x' ] || exit 10; [ '",
  '/var/run/a b/$SENTINEL && exit 10',
];

/**
 * Sentinel commands whose arguments hold shell syntax that would reboot the host if a shell on the host
 * read them. Passed as argv, `test -e` just looks for a file with a strange name: not required, no reboot.
 */
export const WEIRD_SENTINEL_COMMANDS: readonly string[] = [
  "test -e '/run/x; reboot'",
  'test -e /run/$(reboot)',
  'test -e "/run/`systemctl reboot`"',
  "test -e '/run/x && nsenter -t 1 -m -- reboot'",
];

/** Reboot commands with shell syntax in an argument: the argv must carry them verbatim. */
export const WEIRD_REBOOT_COMMANDS: readonly { readonly text: string; readonly argv: readonly string[] }[] = [
  { text: "/bin/systemctl reboot '; kill 1'", argv: ['/bin/systemctl', 'reboot', '; kill 1'] },
  { text: '/sbin/shutdown -r now "$(id)"', argv: ['/sbin/shutdown', '-r', 'now', '$(id)'] },
];

/** A well-formed node record of this version (2): the corpus below breaks one thing in it at a time. */
const GOOD_RECORD = {
  version: 2,
  token: { owner: 'ops@laptop', runId: 'r1', proc: 'p1', gen: 0 },
  phase: 'cordoned',
  wasUnschedulable: false,
  bootID: 'boot-1',
  startedAt: 0,
  since: 0,
};
const record = (over: Record<string, unknown>): string => JSON.stringify({ ...GOOD_RECORD, ...over });

/** Records written by someone else: read, found unreadable, never acted on. */
export const MALFORMED_STATE_ANNOTATIONS: readonly string[] = [
  '{"phase":"cordoned","bootID":',
  '{"phase":"rebooting","bootID":{"$ne":1},"wasUnschedulable":"yes"}',
  '[]',
  'null',
  '"rebooting"',
  // A record of the earlier version (no fencing token): written by another version of this tool.
  '{"version":1,"phase":"rebooting","wasUnschedulable":false,"bootID":"boot-1","startedAt":0,"since":0}',
  record({ version: 3 }),
  record({ phase: 'rebooting; reboot' }),
  record({ wasUnschedulable: 'yes' }),
  record({ token: { owner: 'ops@laptop', runId: 'r1', proc: 'p1', gen: -1 } }),
  record({ token: { owner: 'ops@laptop', runId: 'r1', gen: 0 } }),
  record({ need: { source: 'probe', reason: 1, at: 0 } }),
];

/** A well-formed Lease hold of this version (2): the corpus below breaks one thing in it at a time. */
const GOOD_HOLD = {
  node: 'node-2',
  owner: 'ops@laptop',
  runId: 'r1',
  proc: { id: 'p1', host: 'laptop', pid: 4242 },
  acquiredAt: '2026-01-01T00:00:00.000Z',
  renewedAt: '2026-01-01T00:00:00.000Z',
  ttlMs: 60_000,
};
const lease = (hold: Record<string, unknown>): string =>
  JSON.stringify({ version: 2, maxHolders: 1, holders: [{ ...GOOD_HOLD, ...hold }] });

export const MALFORMED_LEASE_RECORDS: readonly string[] = [
  '{"holders":[{"node":"node-2","owner":',
  '{"version":1,"maxHolders":"all","holders":"everyone"}',
  '{"version":1,"maxHolders":1,"holders":[{"node":{"$gt":""}}]}',
  // A hold of the earlier version: a phase, a boot ID and a TTL of 0 ("kept" until a person released it).
  '{"version":1,"maxHolders":1,"holders":[{"node":"node-2","owner":"ops@laptop","runId":"r1","acquiredAt":"2026-01-01T00:00:00.000Z","renewedAt":"2026-01-01T00:00:00.000Z","ttlMs":0,"wasUnschedulable":false,"bootID":"boot-1","phase":"reboot-timeout"}]}',
  lease({ ttlMs: 0 }),
  lease({ proc: undefined }),
  lease({ proc: { id: 'p1', host: 'laptop', pid: '4242' } }),
  JSON.stringify({ version: 2, maxHolders: 2, holders: [GOOD_HOLD, { ...GOOD_HOLD, runId: 'r2' }] }),
];
