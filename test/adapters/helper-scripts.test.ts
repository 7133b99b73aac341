// Every program a helper pod's script calls is in the pinned image (busybox applets or ash built-ins) or is
// run on the host through nsenter, where it is a documented host requirement. The scripts are read from the
// pod manifests themselves, parsed with the simulator's shell parser, and every command word is checked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import {
  ASH_BUILTINS,
  HELPER_IMAGE_APPLETS,
  HOST_PROGRAMS,
} from '../../src/adapters/k8s/helper-image-contents.js';
import {
  DEFAULT_REBOOT_COMMAND,
  commandCheckPod,
  fileCheckPod,
  rebootArgv,
  rebootPod,
  splitCommand,
} from '../../src/adapters/k8s/helper-pod-spec.js';
import { parse } from '../../src/sim/shell/parser.js';
import type { CommandNode, List } from '../../src/sim/shell/parser.js';
import type { Word } from '../../src/sim/shell/lexer.js';

interface Calls {
  /** Programs run inside the container. */
  readonly image: string[];
  /** Programs run on the host, after nsenter's `--`. */
  readonly host: string[];
}

/** A word as a command name: a literal, or "$@" / "$1" resolved from the script's arguments. */
function resolve(w: Word, args: readonly string[]): string[] {
  const parts = w.parts.filter((x) => !(x.t === 'lit' && x.s === ''));
  const [p] = parts;
  if (parts.length === 1 && p?.t === 'var') {
    if (p.name === '@') return [...args];
    if (/^\d$/.test(p.name)) return [args[Number(p.name) - 1] ?? ''];
    return [`$${p.name}`];
  }
  return [w.parts.map((x) => (x.t === 'lit' ? x.s : `$${x.name}`)).join('')];
}

/** Every command a script calls, given the argv after its $0 (as `sh -c SCRIPT NAME ARGS...`). */
export function commandsOf(script: string, args: readonly string[]): Calls {
  const calls: Calls = { image: [], host: [] };
  const visitArgv = (argv: string[]): void => {
    const [name] = argv;
    if (name === undefined || name === '') return;
    calls.image.push(name);
    if (name === 'nsenter') {
      const dash = argv.indexOf('--');
      if (dash >= 0 && argv[dash + 1] !== undefined) calls.host.push(argv[dash + 1] as string);
    }
  };
  const command = (c: CommandNode): void => {
    if (c.type === 'if') {
      for (const cl of c.clauses) {
        list(cl.cond);
        list(cl.body);
      }
      if (c.elseBody) list(c.elseBody);
      return;
    }
    visitArgv(c.words.flatMap((w) => resolve(w, args)));
  };
  const list = (l: List): void => {
    for (const ao of l.items) for (const p of [ao.first, ...ao.rest.map((r) => r.p)]) p.cmds.forEach(command);
  };
  list(parse(script));
  return calls;
}

/** The programs a pod calls that neither the image nor the documented host requirements have. */
function unknownPrograms(pod: V1Pod, hostAllowed: ReadonlySet<string> = HOST_PROGRAMS): string[] {
  const argv = pod.spec?.containers?.[0]?.command ?? [];
  assert.equal(argv[0], '/bin/sh');
  assert.equal(argv[1], '-c');
  const calls = commandsOf(argv[2] ?? '', argv.slice(4));
  const inImage = (p: string): boolean => {
    const base = p.startsWith('/bin/') ? p.slice(5) : p;
    return ASH_BUILTINS.has(p) || HELPER_IMAGE_APPLETS.has(base);
  };
  return [
    ...calls.image.filter((p) => !inImage(p)).map((p) => `image: ${p}`),
    ...calls.host.filter((p) => !hostAllowed.has(p)).map((p) => `host: ${p}`),
  ];
}

const settings = { namespace: 'reboot-daemon', runId: 'r', image: 'img', imagePullSecrets: [] };
const guard = { bootID: 'b', notAfter: 0 };

describe('the command extractor', () => {
  it('finds commands in lists, pipelines, if clauses and after nsenter', () => {
    const calls = commandsOf(
      'foo a; if bar; then baz | qux -x; elif ! quux; then :; else corge; fi; nsenter -t 1 -m -- hostcmd x; "$@"',
      ['nsenter', '-t', '1', '--', 'other'],
    );
    assert.deepEqual(calls.image, ['foo', 'bar', 'baz', 'qux', 'quux', ':', 'corge', 'nsenter', 'nsenter']);
    assert.deepEqual(calls.host, ['hostcmd', 'other']);
  });
  it('reports a script that calls a program the image does not ship', () => {
    const pod: V1Pod = {
      spec: { containers: [{ name: 'x', command: ['/bin/sh', '-c', 'cat /y; curl z', 'n'] }] },
    };
    assert.deepEqual(unknownPrograms(pod), ['image: curl']);
  });
  it('reports a host program that is not a documented requirement', () => {
    const pod = rebootPod(settings, 'n', guard, rebootArgv('command', '/usr/sbin/reboot'), 60);
    assert.deepEqual(unknownPrograms(pod), ['host: /usr/sbin/reboot']);
  });
});

describe('every helper pod calls only what the pinned image ships or the host is documented to have', () => {
  it('the file check pod', () => {
    assert.deepEqual(unknownPrograms(fileCheckPod(settings, 'n', '/var/run/reboot-required', 60)), []);
  });
  it('the command check pod (its sentinel command runs on the host)', () => {
    const argv = splitCommand('needs-restarting -r');
    const pod = commandCheckPod(settings, 'n', argv, 60);
    assert.deepEqual(unknownPrograms(pod, new Set([...HOST_PROGRAMS, 'needs-restarting'])), []);
    assert.deepEqual(commandsOf(String(pod.spec?.containers?.[0]?.command?.[2]), argv).host, [
      'true',
      'needs-restarting',
    ]);
  });
  it('the reboot pod, command method (the default reboot command on the host)', () => {
    const pod = rebootPod(settings, 'n', guard, rebootArgv('command', DEFAULT_REBOOT_COMMAND), 60);
    assert.deepEqual(unknownPrograms(pod), []);
  });
  it('the reboot pod, signal method (nothing on the host)', () => {
    const pod = rebootPod(settings, 'n', guard, rebootArgv('signal'), 60);
    assert.deepEqual(unknownPrograms(pod, new Set()), []);
  });
});
