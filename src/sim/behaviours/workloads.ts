// Workload controllers, simplified: a Deployment owns one ReplicaSet (named `<deployment>-<hash>`) whose
// replicas follow the Deployment's; a ReplicaSet keeps `replicas` active pods (`<rs>-<5 chars>`, controller
// ownerReference), replacing deleted, evicted or failed ones (the scheduler places them); a DaemonSet keeps
// one pod bound to every node (tolerating everything) and replaces failed ones. Rollouts of a changed
// template are not simulated. Deleting an owner deletes its pods.
// May import: src/sim/* (not the HTTP layer).
import { nameSuffix } from '../random.js';
import type { KObject } from '../types.js';
import type { SimContext } from './context.js';
import { podFromTemplate, ownerRef } from './objects.js';
import { controllerOf, isActive, isPodReady, isTerminal, keyOf } from './pod-facts.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- statuses are loose JSON */

function split(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

function ownedPods(ctx: SimContext, owner: KObject): KObject[] {
  return ctx.pods.ownedBy(owner.metadata.uid ?? '');
}

function writeStatus(ctx: SimContext, resource: string, obj: KObject, status: any): void {
  if (JSON.stringify(obj.status ?? {}) === JSON.stringify(status)) return;
  const next = { ...obj, status, metadata: { ...obj.metadata } };
  delete next.metadata.resourceVersion;
  ctx.store.update(resource, next, { subresource: 'status' });
}

function deletePod(ctx: SimContext, p: KObject, grace?: number): void {
  const out = ctx.store.delete(
    'pods',
    p.metadata.namespace,
    p.metadata.name,
    grace === undefined ? {} : { gracePeriodSeconds: grace },
  );
  const still = ctx.store.tryGet('pods', p.metadata.namespace, p.metadata.name);
  if (still) ctx.noteWrite('pods', still);
  else ctx.noteWrite('pods', out, true);
}

export function createPod(ctx: SimContext, pod: KObject): KObject {
  for (;;) {
    const name = pod.metadata.name;
    if (!ctx.store.tryGet('pods', pod.metadata.namespace, name))
      return ctx.noteWrite('pods', ctx.store.create('pods', pod));
    pod.metadata.name = `${name.slice(0, name.lastIndexOf('-'))}-${nameSuffix(ctx.random)}`;
  }
}

/** A 10-character pod-template-hash. */
export function templateHash(ctx: SimContext): string {
  return nameSuffix(ctx.random, 10);
}

function reconcileDeployment(ctx: SimContext, key: string): void {
  const [ns, name] = split(key);
  const dep = ctx.store.tryGet('deployments', ns, name);
  const all = ctx.store.list('replicasets', { namespace: ns }).items;
  if (!dep) return;
  const owned = all.filter((rs) => controllerOf(rs)?.uid === dep.metadata.uid);
  const replicas: number = dep.spec?.replicas ?? 1;
  let rs = owned[0];
  if (!rs) {
    const hash = templateHash(ctx);
    const template = structuredClone(dep.spec?.template ?? {});
    template.metadata = {
      ...(template.metadata ?? {}),
      labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
    };
    rs = ctx.store.create('replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${name}-${hash}`,
        namespace: ns,
        labels: template.metadata.labels,
        ownerReferences: [ownerRef(dep)],
        annotations: { 'deployment.kubernetes.io/revision': '1' },
      },
      spec: {
        replicas,
        selector: { matchLabels: { ...(dep.spec?.selector?.matchLabels ?? {}), 'pod-template-hash': hash } },
        template,
      },
    });
  } else if (rs.spec?.replicas !== replicas) {
    const next = structuredClone(rs);
    next.spec.replicas = replicas;
    delete next.metadata.resourceVersion;
    rs = ctx.store.update('replicasets', next);
  }
  const s = rs.status ?? {};
  const ready = s.readyReplicas ?? 0;
  writeStatus(ctx, 'deployments', dep, {
    observedGeneration: dep.metadata.generation ?? 1,
    replicas: s.replicas ?? 0,
    updatedReplicas: s.replicas ?? 0,
    readyReplicas: ready,
    availableReplicas: ready,
    ...(replicas - ready > 0 ? { unavailableReplicas: replicas - ready } : {}),
    conditions: [
      {
        type: 'Available',
        status: ready >= replicas ? 'True' : 'False',
        reason: ready >= replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        message:
          ready >= replicas
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
      },
    ],
  });
}

function reconcileReplicaSet(ctx: SimContext, key: string): void {
  const [ns, name] = split(key);
  const rs = ctx.store.tryGet('replicasets', ns, name);
  if (!rs) return;
  const pods = ownedPods(ctx, rs);
  const active = pods.filter(isActive);
  const want: number = rs.spec?.replicas ?? 1;
  for (let i = active.length; i < want; i++) {
    createPod(ctx, podFromTemplate(rs, rs.spec?.template ?? {}, nameSuffix(ctx.random), {}));
  }
  if (active.length > want) {
    const rank = (p: KObject): number => (!p.spec?.nodeName ? 0 : !isPodReady(p) ? 1 : 2);
    const extra = [...active].sort((a, b) => rank(a) - rank(b)).slice(0, active.length - want);
    for (const p of extra) deletePod(ctx, p);
  }
  const now = ownedPods(ctx, rs).filter(isActive);
  const ready = now.filter(isPodReady).length;
  writeStatus(ctx, 'replicasets', rs, {
    replicas: now.length,
    fullyLabeledReplicas: now.length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation ?? 1,
  });
  const owner = controllerOf(rs);
  if (owner?.kind === 'Deployment') ctx.enqueue(`deploy:${ns}/${owner.name}`);
}

function reconcileDaemonSet(ctx: SimContext, key: string): void {
  const [ns, name] = split(key);
  const ds = ctx.store.tryGet('daemonsets', ns, name);
  if (!ds) return;
  const nodes = [...ctx.nodes.keys()];
  const byNode = new Map<string, KObject[]>();
  for (const p of ctx.pods.ownedBy(ds.metadata.uid ?? '')) {
    const n = p.spec?.nodeName ?? '';
    byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  let scheduled = 0;
  let ready = 0;
  for (const node of nodes) {
    const mine = byNode.get(node) ?? [];
    for (const p of mine.filter(isTerminal)) deletePod(ctx, p, 0);
    const active = mine.filter(isActive);
    if (active.length === 0) {
      const template = structuredClone(ds.spec?.template ?? {});
      template.spec = {
        ...(template.spec ?? {}),
        tolerations: [...(template.spec?.tolerations ?? []), { operator: 'Exists' }],
      };
      createPod(
        ctx,
        podFromTemplate(
          ds,
          template,
          nameSuffix(ctx.random),
          { 'controller-revision-hash': 'rev1', 'pod-template-generation': '1' },
          node,
        ),
      );
    }
    for (const p of active.slice(1)) deletePod(ctx, p);
    if (active.length > 0 || mine.length === 0) scheduled++;
    if (active.some(isPodReady)) ready++;
  }
  writeStatus(ctx, 'daemonsets', ds, {
    desiredNumberScheduled: nodes.length,
    currentNumberScheduled: scheduled,
    updatedNumberScheduled: scheduled,
    numberMisscheduled: 0,
    numberReady: ready,
    numberAvailable: ready,
    ...(nodes.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
    observedGeneration: ds.metadata.generation ?? 1,
  });
}

/** When an owner is gone, its pods go too (the garbage collector, foreground enough for a simulator). */
function collectOrphans(ctx: SimContext, key: string): void {
  const [ns, uid] = split(key);
  for (const p of ctx.pods.ownedBy(uid)) if (p.metadata.namespace === ns) deletePod(ctx, p);
  for (const rs of ctx.store.list('replicasets', { namespace: ns }).items) {
    if (controllerOf(rs)?.uid === uid) ctx.store.delete('replicasets', ns, rs.metadata.name);
  }
}

export function installWorkloadControllers(ctx: SimContext): void {
  ctx.on('deploy', (k) => reconcileDeployment(ctx, k));
  ctx.on('rs', (k) => reconcileReplicaSet(ctx, k));
  ctx.on('ds', (k) => reconcileDaemonSet(ctx, k));
  ctx.on('gc', (k) => collectOrphans(ctx, k));
}

export { deletePod, keyOf };
