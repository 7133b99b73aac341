import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import yargs from 'yargs';
import { InputError } from '../../src/core/errors.js';
import { buildRunConfig, type ArgvLike, type RunConfig } from '../../src/cli/config.js';
import { globalOptions, nodesPositional, runOptions } from '../../src/cli/options.js';
import { contains } from '../../src/core/window.js';

/** Parses like `reboot-daemon run ARGS` (same option builders), then builds the config. */
function configOf(args: readonly string[]): RunConfig {
  let parsed: Record<string, unknown> = {};
  globalOptions(yargs())
    .parserConfiguration({
      'duplicate-arguments-array': true,
      'strip-aliased': true,
      'camel-case-expansion': false,
    })
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .command(
      'run [nodes..]',
      'run',
      (y) =>
        runOptions(nodesPositional(y))
          .option('dry-run', { type: 'boolean' })
          .option('once', { type: 'boolean' }),
      (argv) => {
        parsed = argv;
      },
    )
    .parseSync(['run', ...args]);
  return buildRunConfig(parsed);
}

const H = 3_600_000;
const M = 60_000;

describe('good flags become a validated config', () => {
  const cases: [string, readonly string[], (c: RunConfig) => void][] = [
    [
      'defaults are kured-compatible where kured has the flag',
      [],
      (c) => {
        assert.equal(c.lock.concurrency, 1);
        assert.deepEqual(c.sentinel, { kind: 'file', path: '/var/run/reboot-required' });
        assert.deepEqual(c.reboot, { method: 'command', command: ['/bin/systemctl', 'reboot'] });
        assert.equal(c.drain.gracePeriodSeconds, -1);
        assert.equal(c.drain.ignoreDaemonsets, true);
        assert.equal(c.pods.namespace, 'reboot-daemon');
        assert.equal(c.schedule.always, true);
        assert.equal(c.dryRun, false);
        assert.equal(c.once, true);
        assert.deepEqual(c.nodes, []);
      },
    ],
    [
      'a repeated --window ORs the windows, in the given zone',
      ['--window', 'mon-fri 02:00-05:00', '--window', 'sat,sun 1am-6am', '--time-zone', 'Europe/Berlin'],
      (c) => {
        assert.equal(c.schedule.rules.length, 2);
        assert.equal(c.schedule.zone, 'Europe/Berlin');
        // Saturday 2026-11-28 04:00 Berlin = 03:00Z: the weekend window contains it.
        assert.equal(contains(c.schedule, Date.UTC(2026, 10, 28, 3, 0)), true);
        // Saturday 07:00 Berlin: neither window.
        assert.equal(contains(c.schedule, Date.UTC(2026, 10, 28, 6, 0)), false);
      },
    ],
    [
      'kured window flags make one window with kured defaults',
      ['--reboot-days', 'mon,tue', '--start-time', '3am'],
      (c) => {
        assert.equal(c.schedule.always, false);
        assert.equal(c.schedule.rules.length, 1);
        assert.equal(contains(c.schedule, Date.UTC(2026, 10, 24, 23, 0)), true); // Tuesday 23:00 UTC
        assert.equal(contains(c.schedule, Date.UTC(2026, 10, 24, 2, 0)), false); // Tuesday 02:00 UTC
      },
    ],
    [
      'kured spellings of times are accepted with kured meaning: 00:01am to 11:59pm',
      ['--start-time', '00:01am', '--end-time', '11:59pm'],
      (c) => {
        assert.equal(contains(c.schedule, Date.UTC(2026, 10, 24, 0, 0, 30)), false); // 00:00:30 UTC
        assert.equal(contains(c.schedule, Date.UTC(2026, 10, 24, 0, 2)), true); // 00:02 UTC
        assert.equal(contains(c.schedule, Date.UTC(2026, 10, 24, 23, 58)), true);
        assert.equal(contains(c.schedule, Date.UTC(2026, 10, 24, 23, 59, 30)), false);
      },
    ],
    [
      'the day rule defaults to the start day: fri 22:00-04:00 covers Saturday 01:00, not Friday 01:00',
      ['--reboot-days', 'fri', '--start-time', '22:00', '--end-time', '04:00'],
      (c) => {
        assert.equal(c.schedule.dayRule, 'start');
        assert.equal(contains(c.schedule, Date.UTC(2026, 0, 10, 1, 0)), true); // Saturday 01:00 UTC
        assert.equal(contains(c.schedule, Date.UTC(2026, 0, 9, 1, 0)), false); // Friday 01:00 UTC
      },
    ],
    [
      '--window-day-rule kured gives kured\u2019s rule to its flags: Friday 01:00, not Saturday 01:00',
      ['--reboot-days', 'fri', '--start-time', '22:00', '--end-time', '04:00', '--window-day-rule', 'kured'],
      (c) => {
        assert.equal(c.schedule.dayRule, 'kured');
        assert.equal(contains(c.schedule, Date.UTC(2026, 0, 10, 1, 0)), false); // Saturday 01:00 UTC
        assert.equal(contains(c.schedule, Date.UTC(2026, 0, 9, 1, 0)), true); // Friday 01:00 UTC
      },
    ],
    [
      '--window-day-rule kured applies to --window as well',
      ['--window', 'fri 22:00-04:00', '--window-day-rule=kured'],
      (c) => {
        assert.equal(c.schedule.dayRule, 'kured');
        assert.equal(contains(c.schedule, Date.UTC(2026, 0, 10, 1, 0)), false); // Saturday 01:00 UTC
        assert.equal(contains(c.schedule, Date.UTC(2026, 0, 9, 1, 0)), true); // Friday 01:00 UTC
      },
    ],
    [
      'durations are parsed to milliseconds and 0 means no limit where allowed',
      ['--drain-timeout', '0', '--lock-ttl', '1h30m', '--reboot-timeout', '20m', '--window-margin', '15m'],
      (c) => {
        assert.equal(c.drain.timeoutMs, 0);
        assert.equal(c.lock.ttlMs, 1.5 * H);
        assert.equal(c.timeouts.rebootMs, 20 * M);
        assert.equal(c.windowMarginMs, 15 * M);
      },
    ],
    [
      'selectors are stored in canonical form',
      [
        '-l',
        'role in (worker, infra),zone=a',
        '--blocking-pod-selector',
        'app=backup',
        '--blocking-pod-selector',
        'job',
      ],
      (c) => {
        assert.equal(c.nodeSelector, 'role in (infra,worker),zone=a');
        assert.deepEqual(c.blockers.blockingPodSelectors, ['app=backup', 'job']);
      },
    ],
    [
      'label lists accept commas and repeats',
      ['--pre-reboot-node-labels', 'rebooting=true,team=ops', '--post-reboot-node-labels', 'rebooting=false'],
      (c) => {
        assert.deepEqual(c.marking.preRebootLabels, { rebooting: 'true', team: 'ops' });
        assert.deepEqual(c.marking.postRebootLabels, { rebooting: 'false' });
      },
    ],
    [
      'a sentinel command wins over the sentinel file and is split like a shell would',
      ['--reboot-sentinel-command', `sh -c 'needs-restarting -r'`],
      (c) => assert.deepEqual(c.sentinel, { kind: 'command', argv: ['sh', '-c', 'needs-restarting -r'] }),
    ],
    [
      'signal method, concurrency, zones, node names and drain switches',
      [
        'node-a',
        'node-b',
        '--reboot-method',
        'signal',
        '--concurrency',
        '3',
        '--max-per-zone',
        '1',
        '--no-ignore-daemonsets',
        '--force',
        '--skip-wait-for-delete-timeout',
        '90',
      ],
      (c) => {
        assert.equal(c.reboot.method, 'signal');
        assert.equal(c.lock.concurrency, 3);
        assert.equal(c.maxPerZone, 1);
        assert.deepEqual(c.nodes, ['node-a', 'node-b']);
        assert.equal(c.drain.ignoreDaemonsets, false);
        assert.equal(c.drain.force, true);
        assert.equal(c.drain.skipWaitForDeleteTimeoutSeconds, 90);
      },
    ],
    [
      'prometheus URL loses its trailing slash; filter regexp kept as given',
      [
        '--prometheus-url',
        'http://prom.monitoring:9090/',
        '--alert-filter-regexp',
        '^(Watchdog|Info)$',
        '--alert-filter-match-only',
      ],
      (c) => {
        assert.equal(c.blockers.prometheusUrl, 'http://prom.monitoring:9090');
        assert.equal(c.blockers.alertFilterRegexp, '^(Watchdog|Info)$');
        assert.equal(c.blockers.alertFilterMatchOnly, true);
      },
    ],
    [
      'kubectl connection flags and output settings',
      [
        '--kubeconfig',
        '/tmp/kc',
        '--context',
        'prod',
        '--request-timeout',
        '0',
        '-v',
        '2',
        '--no-color',
        '--log-format',
        'json',
      ],
      (c) => {
        assert.deepEqual(c.kube, { kubeconfig: '/tmp/kc', context: 'prod', requestTimeoutMs: 0 });
        assert.deepEqual(c.output, { logFormat: 'json', color: false, verbosity: 2 });
      },
    ],
    ['--dry-run marks the config as a plan', ['--dry-run'], (c) => assert.equal(c.dryRun, true)],
  ];
  for (const [name, args, check] of cases) test(name, () => check(configOf(args)));
});

describe('bad flags are an InputError naming the flag and the accepted form', () => {
  const cases: [string, readonly string[] | ArgvLike, RegExp][] = [
    ['a window without an end', ['--window', '3am-'], /--window.*missing end time.*accepted/],
    ['a window with nonsense days', ['--window', 'funday 1-2'], /--window.*"funday 1-2"/],
    [
      'an empty window (an unset shell variable) never means any time',
      ['--window', ''],
      /--window: the value is empty/,
    ],
    ['an empty window among good ones', ['--window', '1-2', '--window', ' '], /--window: the value is empty/],
    ['an unknown time zone', ['--time-zone', 'Mars/Olympus'], /--time-zone.*accepted: UTC, Local/],
    [
      '--window mixed with kured window flags',
      ['--window', '1-2', '--start-time', '3am'],
      /--window cannot be combined with --start-time/,
    ],
    ['a bad --start-time', ['--start-time', '25:00'], /--start-time "25:00"/],
    ['a bad --reboot-days', ['--reboot-days', 'mon,xyz'], /--reboot-days/],
    [
      'an empty --reboot-days (kured: no day) is refused, never read as every day',
      ['--reboot-days', ''],
      /--reboot-days: the value is empty/,
    ],
    [
      'an empty --reboot-days among good ones',
      ['--reboot-days', 'mon', '--reboot-days', ' '],
      /--reboot-days: the value is empty/,
    ],
    [
      'an empty day inside a --reboot-days list',
      ['--reboot-days', 'mon,,tue'],
      /--reboot-days "mon,,tue": empty day/,
    ],
    ['a duration without unit', ['--drain-timeout', '5 minutes'], /--drain-timeout.*accepted: 1h30m/],
    ['a negative duration', ['--lock-ttl=-5m'], /--lock-ttl.*negative/],
    ['a zero reboot timeout', ['--reboot-timeout', '0'], /--reboot-timeout.*greater than zero/],
    // Every hold expires: a Lease hold with a TTL of 0 would make the record unreadable to every run.
    ['a zero lock TTL', ['--lock-ttl', '0'], /--lock-ttl.*greater than zero/],
    ['a bad node selector', ['-l', 'a=(b'], /--node-selector.*accepted/],
    ['a bad blocking pod selector', ['--blocking-pod-selector', 'x>1'], /--blocking-pod-selector/],
    [
      'a label list without "="',
      ['--pre-reboot-node-labels', 'rebooting'],
      /--pre-reboot-node-labels.*key=value/,
    ],
    ['a label value with a space', ['--post-reboot-node-labels', 'a=b c'], /--post-reboot-node-labels/],
    ['concurrency 0', ['--concurrency', '0'], /--concurrency "0".*1 or more/],
    ['concurrency not a number', ['--concurrency', 'two'], /--concurrency.*whole number/],
    ['concurrency fractional', ['--concurrency', '1.5'], /--concurrency "1.5"/],
    ['max-per-zone 0', ['--max-per-zone', '0'], /--max-per-zone "0"/],
    ['drain grace period below -1', ['--drain-grace-period', '-2'], /--drain-grace-period "-2".*-1 or more/],
    ['probe concurrency 0', ['--probe-concurrency', '0'], /--probe-concurrency/],
    [
      'reboot method unknown (given through the config layer)',
      { 'reboot-method': 'halt' },
      /--reboot-method "halt".*command, signal/,
    ],
    [
      'day rule unknown (given through the config layer, as from the environment)',
      { 'window-day-rule': 'monday' },
      /--window-day-rule "monday".*start, kured/,
    ],
    ['an empty reboot command', ['--reboot-command', ' '], /--reboot-command/],
    [
      'a reboot command with an open quote',
      ['--reboot-command', `sh -c 'reboot`],
      /--reboot-command.*unclosed ' quote/,
    ],
    [
      'a sentinel outside /run',
      ['--reboot-sentinel', '/etc/reboot-required'],
      /--reboot-sentinel.*\/run or \/var\/run/,
    ],
    ['a sentinel escaping /run', ['--reboot-sentinel', '/run/../etc/x'], /--reboot-sentinel/],
    ['a pod namespace with capitals', ['--pod-namespace', 'Reboot'], /--pod-namespace "Reboot"/],
    ['an image with spaces', ['--image', 'busybox latest'], /--image/],
    ['a prometheus URL that is not http', ['--prometheus-url', 'ftp://x'], /--prometheus-url.*http or https/],
    [
      'an invalid alert regexp',
      ['--alert-filter-regexp', '(unclosed'],
      /--alert-filter-regexp.*regular expression/,
    ],
    [
      'match-only without a regexp',
      ['--alert-filter-match-only'],
      /--alert-filter-match-only needs --alert-filter-regexp/,
    ],
    ['a node name that is not a DNS name', ['Node_1'], /node name "Node_1"/],
    ['a bad request timeout', ['--request-timeout', 'soon'], /--request-timeout/],
    ['continuous mode', ['--no-once'], /--once=false/],
  ];
  // A command line goes through yargs first; an object is handed to the config layer as it stands.
  const isCommandLine = (a: readonly string[] | ArgvLike): a is readonly string[] => Array.isArray(a);
  for (const [name, args, re] of cases) {
    test(name, () => {
      assert.throws(
        () => (isCommandLine(args) ? configOf(args) : buildRunConfig(args)),
        (err: unknown) => {
          assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
          assert.equal(err.exitCode, 2);
          assert.match(`${err.message} ${err.hint ?? ''}`, re);
          return true;
        },
      );
    });
  }
});

test('values set in the environment are validated like flags', () => {
  assert.throws(() => buildRunConfig({ concurrency: Number('abc') }), /--concurrency "NaN"/);
  assert.equal(buildRunConfig({ concurrency: '4' }).lock.concurrency, 4);
  assert.equal(buildRunConfig({ 'annotate-nodes': 'true' }).marking.annotateNodes, true);
});
