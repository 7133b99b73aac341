// deploy/ stays in step with the code: its RBAC is exactly what `reboot-daemon rbac` prints, both workloads
// use that ServiceAccount and the package's version as a pinned image, the Deployment runs one non-root
// replica, the DaemonSet mounts the host's /run directory read-only, tolerates control-plane nodes and asks
// for resources, and the Dockerfile is multi-stage and ends as a non-root user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { renderRbac } from '../../src/cli/actions/rbac.js';
import { WATCH_DEFAULTS } from '../../src/cli/options-watch.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are loose YAML */
const load = async (path: string): Promise<any[]> =>
  parseAllDocuments(await readFile(path, 'utf8')).map((d) => d.toJSON() as any).filter(Boolean);

test('deploy/00-rbac.yaml holds exactly the manifests `reboot-daemon rbac` prints', async () => {
  // Compared as parsed documents, so a formatter may re-indent the file; any change of content fails.
  const printed = parseAllDocuments(
    renderRbac({ namespace: 'reboot-daemon', serviceAccount: 'reboot-daemon', events: true }, 'yaml'),
  ).map((d) => d.toJSON() as unknown);
  assert.deepEqual(await load('deploy/00-rbac.yaml'), printed);
});

test('the watch Deployment: one non-root replica of the pinned image, with the RBAC ServiceAccount', async () => {
  const [dep] = await load('deploy/watch-deployment.yaml');
  const version = (JSON.parse(await readFile('package.json', 'utf8')) as { version: string }).version;
  const sa = (await load('deploy/00-rbac.yaml')).find((m) => m.kind === 'ServiceAccount');
  assert.equal(dep.kind, 'Deployment');
  assert.equal(dep.spec.replicas, 1);
  const pod = dep.spec.template.spec;
  assert.equal(pod.serviceAccountName, sa.metadata.name);
  assert.equal(dep.metadata.namespace, sa.metadata.namespace);
  const c = pod.containers[0];
  assert.equal(c.image, `ghcr.io/reboot-daemon/reboot-daemon:${version}`);
  assert.equal(c.args[0], 'watch');
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.equal(c.securityContext.allowPrivilegeEscalation, false);
  assert.ok(c.resources.requests.cpu && c.resources.requests.memory);
  assert.equal(c.ports[0].containerPort, WATCH_DEFAULTS.metricsPort);
});

test('the agent DaemonSet: host /run read-only, node name, control-plane tolerations, resources, pinned image', async () => {
  const [ds] = await load('deploy/agent-daemonset.yaml');
  const version = (JSON.parse(await readFile('package.json', 'utf8')) as { version: string }).version;
  const rbac = await load('deploy/00-rbac.yaml');
  const ns = rbac.find((m) => m.kind === 'Namespace');
  assert.equal(ns.metadata.labels['pod-security.kubernetes.io/enforce'], 'privileged');
  assert.equal(ds.kind, 'DaemonSet');
  const pod = ds.spec.template.spec;
  assert.equal(pod.serviceAccountName, rbac.find((m) => m.kind === 'ServiceAccount').metadata.name);
  assert.equal(pod.hostPID, true);
  const c = pod.containers[0];
  assert.equal(c.image, `ghcr.io/reboot-daemon/reboot-daemon:${version}`);
  assert.equal(c.args[0], 'agent');
  const hostRun = pod.volumes.find((v: any) => v.hostPath?.path === '/run');
  assert.equal(hostRun.hostPath.type, 'Directory');
  const mount = c.volumeMounts.find((m: any) => m.name === hostRun.name);
  assert.equal(mount.readOnly, true);
  assert.ok(c.args.includes(`--host-run=${mount.mountPath}`));
  assert.equal(c.env.find((e: any) => e.name === 'NODE_NAME').valueFrom.fieldRef.fieldPath, 'spec.nodeName');
  assert.ok(pod.tolerations.some((t: any) => t.key === 'node-role.kubernetes.io/control-plane'));
  assert.ok(c.resources.requests.cpu && c.resources.requests.memory);
});

test('the Dockerfile builds in one stage and ships only the built JS, as a non-root user', async () => {
  const text = await readFile('Dockerfile', 'utf8');
  assert.equal((text.match(/^FROM /gm) ?? []).length, 2);
  const final = text.slice(text.lastIndexOf('\nFROM '));
  assert.match(final, /COPY --from=build \/src\/dist \.\/dist/);
  assert.doesNotMatch(final, /\/src\/src|COPY src/, 'no TypeScript sources in the final image');
  assert.match(text, /^USER 1000/m);
  assert.match(text, /nsenter/);
});
