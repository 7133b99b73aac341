// Hostile input, table-driven from hostile-corpus.ts, against one simulated cluster and the built CLI:
// - every rejected value exits 2 with a message naming it, and the cluster sees no write request and keeps
//   its resourceVersion (kubeconfigs that are corrupt, point elsewhere or carry expired credentials included);
// - weird but valid sentinel paths and commands travel in env/argv only (checked on the manifests and on the
//   pods the CLI really creates) and never act as shell syntax: nothing is found "required", nothing reboots.
// Records written by someone else are in hostile-records.test.ts.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  COMMAND_CHECK_SCRIPT,
  FILE_CHECK_SCRIPT,
  REBOOT_SCRIPT,
  commandCheckPod,
  fileCheckPod,
  rebootArgv,
  rebootPod,
  splitCommand,
} from '../../src/adapters/k8s/helper-pod-spec.js';
import { splitWords } from '../../src/cli/words.js';
import type { KObject } from '../../src/sim/types.js';
import { assertBuilt, runArgs, runCli, show, writeRequests, type CliResult } from '../support/e2e-cli.js';
import {
  KubeVariant,
  REJECTED,
  WEIRD_REBOOT_COMMANDS,
  WEIRD_SENTINEL_COMMANDS,
  WEIRD_SENTINEL_PATHS,
  type RejectCase,
} from './hostile-corpus.js';
import {
  NODES,
  STACK_TRACE,
  events,
  startHostileCluster,
  stringsOutsideEnv,
  writeKubeconfigVariants,
  type HostileCluster,
} from './hostile-support.js';

const settings = { namespace: 'reboot-daemon', runId: 'r1', image: 'busybox', imagePullSecrets: [] };

describe('hostile input', () => {
  let c: HostileCluster;
  let kubeconfigs: Map<string, string>;
  const created: KObject[] = [];

  before(async () => {
    await assertBuilt();
    c = await startHostileCluster();
    kubeconfigs = await writeKubeconfigVariants(c);
    c.sim.store.onChange((resource, type, obj) => {
      if (resource === 'pods' && type === 'ADDED' && obj.metadata.namespace === 'reboot-daemon') {
        created.push(structuredClone(obj));
      }
    });
  });

  after(async () => {
    await c?.stop();
  });

  /** Runs one corpus case against the simulator. */
  function runCase(k: RejectCase): Promise<CliResult> {
    const kubeconfig = kubeconfigs.get(k.kube ?? KubeVariant.Good) ?? 'no-such-variant';
    return runCli([k.command ?? 'run', ...k.args, '--kubeconfig', kubeconfig], {
      timeoutMs: 30_000,
      ...(k.env ? { env: { ...k.env } } : {}),
    });
  }

  describe('rejected with exit 2, a clear message and no write', () => {
    const results = new Map<string, CliResult>();
    let rvBefore = 0;

    before(async () => {
      // Four at a time: the no-write proof covers the whole corpus (and names the culprit, below).
      rvBefore = c.sim.store.currentResourceVersion();
      c.sim.server.resetStats();
      const queue = [...REJECTED];
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let k = queue.shift(); k; k = queue.shift()) results.set(k.name, await runCase(k));
        }),
      );
    });

    for (const k of REJECTED) {
      test(k.name, () => {
        const r = results.get(k.name);
        assert.ok(r, 'the case ran');
        assert.equal(r.code, 2, show(r));
        // Commands report on stderr; a run that started reports in its final "run end" line.
        const text = k.command === 'status' || r.stderr !== '' ? r.stderr : r.stdout;
        if (text === r.stderr) assert.match(text, /^error: /, show(r));
        else assert.match(text, /run end exit=2/, show(r));
        for (const m of k.message) assert.match(text, m, show(r));
        assert.doesNotMatch(r.stdout + r.stderr, STACK_TRACE, 'no stack trace');
      });
    }

    test('no case wrote anything: no create, update, patch, delete or eviction; resourceVersion unchanged', async () => {
      const writes = writeRequests(c.sim);
      const rv = c.sim.store.currentResourceVersion();
      if (Object.keys(writes).length > 0 || rv !== rvBefore) {
        const culprits: string[] = [];
        for (const k of REJECTED) {
          const before_ = c.sim.store.currentResourceVersion();
          c.sim.server.resetStats();
          await runCase(k);
          const w = writeRequests(c.sim);
          if (Object.keys(w).length > 0 || c.sim.store.currentResourceVersion() !== before_) {
            culprits.push(`${k.name}: ${JSON.stringify(w)}`);
          }
        }
        assert.fail(
          `writes ${JSON.stringify(writes)}, resourceVersion ${rvBefore} -> ${rv}; by case:\n${culprits.join('\n')}`,
        );
      }
      const seen = c.sim.server.stats().byKey;
      assert.ok(
        Object.keys(seen).some((key) => key.startsWith('unauthorized ')),
        `the expired token got its 401 from the server: ${JSON.stringify(seen)}`,
      );
      c.assertNothingRebooted();
    });
  });

  describe('weird but valid values stay data: env and argv, never script text', () => {
    test('file check pods carry each weird sentinel path in env only; the script is the fixed text', () => {
      for (const path of WEIRD_SENTINEL_PATHS) {
        const pod = fileCheckPod(settings, 'node-1', path, 60);
        const c0 = pod.spec!.containers[0]!;
        assert.deepEqual(c0.command, ['/bin/sh', '-c', FILE_CHECK_SCRIPT]);
        const env = c0.env?.find((e) => e.name === 'SENTINEL')?.value ?? '';
        assert.equal(env, `/host/run/${path.replace(/^\/(var\/)?run\//, '')}`, path);
        const tail = path.replace(/^\/(var\/)?run\//, '');
        for (const [where, s] of stringsOutsideEnv(pod)) {
          assert.ok(!s.includes(tail), `${JSON.stringify(path)} leaked into ${where}: ${JSON.stringify(s)}`);
        }
      }
    });

    test('command check and reboot pods carry weird arguments verbatim as argv after the fixed script', () => {
      for (const text of WEIRD_SENTINEL_COMMANDS) {
        const split = splitWords(text);
        assert.ok(split.ok, text);
        const pod = commandCheckPod(settings, 'node-1', split.words, 60);
        const cmd = pod.spec!.containers[0]!.command!;
        assert.deepEqual(cmd.slice(0, 4), ['/bin/sh', '-c', COMMAND_CHECK_SCRIPT, 'reboot-daemon-check']);
        assert.deepEqual(cmd.slice(4), split.words, text);
      }
      for (const { text, argv } of WEIRD_REBOOT_COMMANDS) {
        const split = splitWords(text);
        assert.ok(split.ok && JSON.stringify(split.words) === JSON.stringify(argv), text);
        const pod = rebootPod(
          settings,
          'node-1',
          { bootID: 'boot-1', notAfter: 0 },
          rebootArgv('command', splitCommand(argv)),
          60,
        );
        const cmd = pod.spec!.containers[0]!.command!;
        assert.equal(cmd[2], REBOOT_SCRIPT);
        assert.deepEqual(cmd.slice(-argv.length), [...argv]);
        assert.ok(!REBOOT_SCRIPT.includes(argv[argv.length - 1]!));
      }
    });

    describe('runs with weird sentinel paths', () => {
      const results = new Map<string, CliResult>();
      const inPod = (path: string): string => `/host/run/${path.replace(/^\/(var\/)?run\//, '')}`;

      before(async () => {
        created.length = 0;
        // One after the other: each run clears helper pods that earlier runs left, which would include a
        // concurrent run's check pods.
        for (const p of WEIRD_SENTINEL_PATHS) {
          results.set(p, await runCli(runArgs(c.kubeconfigPath, ['--reboot-sentinel', p])));
        }
      });

      for (const path of WEIRD_SENTINEL_PATHS) {
        test(`--reboot-sentinel ${JSON.stringify(path)} finds nothing required and reboots nothing`, () => {
          const r = results.get(path);
          assert.ok(r);
          assert.equal(r.code, 0, show(r));
          const probes = events(r).filter((e) => e.type === 'probe');
          assert.deepEqual(probes.map((e) => e.node).sort(), NODES, show(r));
          for (const p of probes) assert.equal(p.result?.kind, 'not-required', show(r));
          const pods = created.filter((pod) => pod.spec.containers[0].env?.[0]?.value === inPod(path));
          assert.equal(pods.length, NODES.length, 'one check pod per node, the path verbatim in its env');
          for (const pod of pods) {
            const ct = pod.spec.containers[0];
            assert.deepEqual(ct.command, ['/bin/sh', '-c', FILE_CHECK_SCRIPT]);
            assert.deepEqual(ct.env, [{ name: 'SENTINEL', value: inPod(path) }]);
          }
          c.assertNothingRebooted();
        });
      }
    });

    test('weird sentinel commands run as argv on the host: no reboot, nothing required', async () => {
      for (const text of WEIRD_SENTINEL_COMMANDS) {
        created.length = 0;
        const r = await runCli(runArgs(c.kubeconfigPath, ['--reboot-sentinel-command', text]));
        assert.equal(r.code, 0, show(r));
        for (const p of events(r).filter((e) => e.type === 'probe')) {
          assert.equal(p.result?.kind, 'not-required', `${text}\n${show(r)}`);
        }
        const words = splitWords(text);
        assert.ok(words.ok);
        assert.equal(created.length, NODES.length);
        for (const pod of created) {
          assert.deepEqual(pod.spec.containers[0].command.slice(4), words.words, text);
        }
        c.assertNothingRebooted();
      }
    });
  });
});
