import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { scriptNameFor } from '../../src/cli/main.js';
import { runCli } from './cli-io.js';

test('help has kubectl\u2019s shape: description, Examples, commands, options, then Usage', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  const text = r.stdout;
  const order = [
    'Reboot Kubernetes nodes safely',
    'Examples:',
    'Available Commands:',
    'Global options:',
    'Usage:',
  ];
  const at = order.map((s) => text.indexOf(s));
  assert.ok(
    at.every((i) => i >= 0),
    `missing a section in:\n${text}`,
  );
  assert.deepEqual(
    [...at].sort((a, b) => a - b),
    at,
    'sections out of order',
  );
  assert.match(text, /Usage:\n {2}reboot-daemon <command> \[options\]/);
  assert.match(text, /Use "reboot-daemon <command> --help"/);
});

test('a command\u2019s help lists its option groups and examples in kubectl style', async () => {
  const r = await runCli(['run', '--help']);
  assert.equal(r.code, 0);
  for (const heading of [
    'Window:',
    'Sentinel:',
    'Reboot:',
    'Drain:',
    'Lock:',
    'Blockers:',
    'Selection:',
    'Marking:',
    'Timeouts:',
  ]) {
    assert.match(r.stdout, new RegExp(`^${heading}$`, 'm'));
  }
  assert.match(r.stdout, /^ {2}# Explain without changing anything\n {2}reboot-daemon run --dry-run$/m);
  assert.match(r.stdout, /Usage:\n {2}reboot-daemon run \[nodes\.\.\] \[options\]\n/);
});

test('as a kubectl plugin the program calls itself "kubectl reboot-daemon"', async () => {
  assert.equal(scriptNameFor('/home/u/.krew/bin/kubectl-reboot_daemon', ['status']), 'kubectl reboot-daemon');
  assert.equal(scriptNameFor('/usr/bin/reboot-daemon', ['status']), 'reboot-daemon');
  assert.equal(scriptNameFor('/home/u/.krew/bin/kubectl-reboot_daemon', ['completion']), 'reboot-daemon');
  const r = await runCli(['status', '--help'], { argv1: '/home/u/.krew/bin/kubectl-reboot_daemon' });
  assert.match(r.stdout, /Usage:\n {2}kubectl reboot-daemon status \[nodes\.\.\] \[options\]/);
});

test('bad usage exits 2 with the message and a hint on stderr, nothing on stdout', async () => {
  const cases: [string[], RegExp][] = [
    [['reboot'], /Unknown argument: reboot/],
    [[], /name a command/],
    [['run', '--bogus-flag'], /Unknown argument: bogus-flag[\s\S]*hint: run "reboot-daemon run --help"/],
    [['status', '-o', 'xml'], /Invalid values:[\s\S]*output/],
    [['sim'], /Missing required argument: write-kubeconfig/],
    [['sim', '--write-kubeconfig', 'x', '--nodes', '2', '--scenario', 'f.yaml'], /mutually exclusive/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    assert.match(r.stderr, re);
  }
});

test('invalid flag values are refused before any cluster access, naming the flag', async () => {
  const r = await runCli(['run', '--concurrency', '0', '--kubeconfig', '/nonexistent/kubeconfig']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: invalid --concurrency "0"/);
  const w = await runCli(['plan', '--window', 'fri 22:00', '--kubeconfig', '/nonexistent/kubeconfig']);
  assert.equal(w.code, 2);
  assert.match(w.stderr, /--window: invalid window "fri 22:00"[\s\S]*hint: accepted forms/);
});

test('a missing kubeconfig is an input error with the fix', async () => {
  const r = await runCli(['status', '--kubeconfig', '/nonexistent/kubeconfig']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /kubeconfig \/nonexistent\/kubeconfig does not exist[\s\S]*hint: pass --kubeconfig/);
});

test('rbac prints least-privilege YAML: namespace, ServiceAccount, ClusterRole, Role and bindings', async () => {
  const r = await runCli(['rbac', '--pod-namespace', 'ops-reboots']);
  assert.equal(r.code, 0);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Record<string, unknown>);
  assert.deepEqual(
    docs.map((d) => d['kind']),
    ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  );
  type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
  const rules = (kind: string): Rule[] => (docs.find((d) => d['kind'] === kind)?.['rules'] as Rule[]) ?? [];
  const verbs = (kind: string, resource: string): string[] =>
    rules(kind)
      .filter((x) => x.resources.includes(resource))
      .flatMap((x) => x.verbs)
      .sort();
  assert.deepEqual(verbs('ClusterRole', 'nodes'), ['get', 'list', 'patch', 'watch']);
  assert.deepEqual(verbs('ClusterRole', 'pods/eviction'), ['create']);
  assert.deepEqual(verbs('ClusterRole', 'poddisruptionbudgets'), ['list']);
  assert.deepEqual(verbs('ClusterRole', 'daemonsets'), ['get', 'list']);
  assert.deepEqual(verbs('ClusterRole', 'namespaces'), ['create', 'get']);
  assert.deepEqual(verbs('ClusterRole', 'pods'), ['delete', 'get', 'list', 'watch']);
  assert.equal(
    verbs('ClusterRole', 'pods').includes('create'),
    false,
    'helper pods are created only in the tool namespace',
  );
  assert.deepEqual(verbs('Role', 'pods'), ['create', 'delete', 'get', 'list', 'watch']);
  assert.deepEqual(verbs('Role', 'leases'), ['create', 'get', 'update']);
  const role = docs.find((d) => d['kind'] === 'Role') as { metadata: { namespace: string } };
  assert.equal(role.metadata.namespace, 'ops-reboots');
  const binding = docs.find((d) => d['kind'] === 'ClusterRoleBinding') as {
    subjects: { namespace: string }[];
  };
  assert.equal(binding.subjects[0]?.namespace, 'ops-reboots');
  const ns = docs[0] as { metadata: { labels: Record<string, string> } };
  assert.equal(ns.metadata.labels['pod-security.kubernetes.io/enforce'], 'privileged');
});

test('rbac -o json is a List, and --no-events drops the optional events rule', async () => {
  const r = await runCli(['rbac', '-o', 'json', '--no-events']);
  const list = JSON.parse(r.stdout) as {
    kind: string;
    items: { kind: string; rules?: { resources: string[] }[] }[];
  };
  assert.equal(list.kind, 'List');
  const cr = list.items.find((i) => i.kind === 'ClusterRole');
  assert.equal(
    cr?.rules?.some((x) => x.resources.includes('events')),
    false,
  );
  const withEvents = JSON.parse((await runCli(['rbac', '-o', 'json'])).stdout) as typeof list;
  assert.equal(
    withEvents.items
      .find((i) => i.kind === 'ClusterRole')
      ?.rules?.some((x) => x.resources.includes('events')),
    true,
  );
});

test('version --client prints the package version without contacting a server', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const r = await runCli(['version', '--client']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `Client Version: ${pkg.version}\n`);
  assert.equal(r.stderr, '');
});

test('version without a reachable server still prints the client and says why the server is unknown', async () => {
  const r = await runCli(['version', '--kubeconfig', '/nonexistent/kubeconfig']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Client Version: /);
  assert.match(r.stderr, /^Server Version: unknown \(kubeconfig \/nonexistent\/kubeconfig does not exist/);
});

test('REBOOT_DAEMON_<FLAG> sets a flag the command has; the command line wins; others are ignored', async () => {
  const bad = await runCli(['run', '--kubeconfig', '/nonexistent/kubeconfig'], {
    env: { REBOOT_DAEMON_CONCURRENCY: '0' },
  });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /invalid --concurrency "0"/);

  const overridden = await runCli(['run', '--concurrency', '2', '--kubeconfig', '/nonexistent/kubeconfig'], {
    env: { REBOOT_DAEMON_CONCURRENCY: '0' },
  });
  assert.match(overridden.stderr, /kubeconfig \/nonexistent\/kubeconfig does not exist/);

  const rbac = await runCli(['rbac', '-o', 'json'], {
    env: {
      REBOOT_DAEMON_CONCURRENCY: '0',
      REBOOT_DAEMON_DEBUG: '1',
      REBOOT_DAEMON_POD_NAMESPACE: 'ops',
      REBOOT_DAEMON_EVENTS: 'false',
    },
  });
  assert.equal(rbac.code, 0, rbac.stderr);
  const list = JSON.parse(rbac.stdout) as {
    items: { kind: string; metadata: { name: string }; rules?: { resources: string[] }[] }[];
  };
  assert.equal(list.items[0]?.metadata.name, 'ops');
  assert.equal(
    list.items.find((i) => i.kind === 'ClusterRole')?.rules?.some((r) => r.resources.includes('events')),
    false,
  );

  const choice = await runCli(['run'], { env: { REBOOT_DAEMON_REBOOT_METHOD: 'halt' } });
  assert.equal(choice.code, 2);
  assert.match(choice.stderr, /reboot-method, Given: "halt"/);
});

test('sim refuses an unwritable kubeconfig path and a broken scenario before serving', async () => {
  const noDir = await runCli(['sim', '--nodes', '2', '--write-kubeconfig', '/nonexistent-dir/kubeconfig']);
  assert.equal(noDir.code, 2);
  assert.match(noDir.stderr, /cannot write --write-kubeconfig \/nonexistent-dir\/kubeconfig: ENOENT/);
  const noFile = await runCli([
    'sim',
    '--scenario',
    '/nonexistent-dir/s.yaml',
    '--write-kubeconfig',
    '/tmp/x',
  ]);
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /cannot read --scenario \/nonexistent-dir\/s\.yaml/);
});
