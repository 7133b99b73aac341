// Builds a scenario's cluster in its steady state: namespaces, nodes with their hosts, mirror pods, and
// workloads whose pods are already bound, Running and Ready (spread round-robin over the nodes that fit),
// with their PodDisruptionBudgets. Behaviours take over from there.
// May import: src/sim/* (not the HTTP layer).
import { nameSuffix, randomUuid } from '../random.js';
import type { Scenario, ScenarioBarePod, ScenarioPodPhase } from '../scenario-types.js';
import type { KObject, Store } from '../types.js';
import type { SimContext } from './context.js';
import {
  barePod,
  condition,
  mirrorPod,
  namespaceObject,
  nodeObject,
  podFromTemplate,
  podTemplate,
} from './objects.js';
import { terminatedStatus } from './pod-stages.js';
import { runningStatus } from './status-builders.js';
import { admittedPods, shortfalls } from './kubelet-admission.js';
import { unfitReason } from './pod-facts.js';
import { adoptNode } from './wiring.js';
import { createPod, templateHash } from './workloads.js';

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * The namespaces every API server has from its start (kube-apiserver's system namespaces controller,
 * pkg/controlplane/controller/systemnamespaces): a store that lacks one gets it.
 */
export function ensureSystemNamespaces(store: Store): void {
  for (const ns of SYSTEM_NAMESPACES)
    if (store.tryGet('namespaces', undefined, ns) === undefined)
      store.create('namespaces', namespaceObject(ns));
}

/** Does the pod fit its node beside the pods already there (kubelet-admission.ts), with no preemption? */
function fits(ctx: SimContext, pod: KObject, node: KObject): boolean {
  return shortfalls(pod, node, admittedPods(ctx.pods.onNode(node.metadata.name))).length === 0;
}

/** Running and Ready when it fits its node; otherwise bound and Pending, for the kubelet to judge. */
function createBound(ctx: SimContext, pod: KObject, node: KObject): KObject {
  return fits(ctx, pod, node) ? createRunning(ctx, pod) : createPod(ctx, pod);
}

/** Creates the pod already scheduled, Running and Ready. */
function createRunning(ctx: SimContext, pod: KObject): KObject {
  const st = runningStatus(pod, ctx.now(), true);
  st.conditions = st.conditions.map((c: { type: string }) =>
    c.type === 'PodScheduled' ? condition('PodScheduled', 'True', ctx.now()) : c,
  );
  return createPod(ctx, { ...pod, status: st });
}

/** A single pod, Running and Ready, or finished: its container exited (0 for Succeeded, 1 for Failed). */
function createSingle(ctx: SimContext, pod: KObject, phase: ScenarioPodPhase): KObject {
  if (phase === 'Running') return createRunning(ctx, pod);
  const ok = phase === 'Succeeded';
  const st = terminatedStatus(pod, ctx.now(), ok ? 0 : 1, ok ? 'Completed' : 'Error', '', phase);
  return createPod(ctx, { ...pod, status: st });
}

export function buildCluster(ctx: SimContext, s: Scenario): void {
  const { store } = ctx;
  const w = s.workloads;
  const namespaces = new Set([
    ...SYSTEM_NAMESPACES,
    ...s.namespaces,
    ...w.deployments.map((d) => d.namespace),
    ...w.daemonSets.map((d) => d.namespace),
    ...w.barePods.map((d) => d.namespace),
    ...w.orphanedPods.map((d) => d.namespace),
    ...w.staticPods.map((d) => d.namespace),
  ]);
  for (const ns of namespaces) store.create('namespaces', namespaceObject(ns));

  const nodes: KObject[] = [];
  s.nodes.forEach((n, i) => {
    const obj = nodeObject(n, i, randomUuid(ctx.random), ctx.now());
    adoptNode(ctx, obj, n);
    const host = ctx.hosts.get(n.name);
    if (n.rebootRequired) host?.setRebootRequired(n.rebootRequiredPkgs);
    nodes.push(store.create('nodes', obj));
  });

  for (const sp of w.staticPods) {
    const on =
      sp.nodes === 'all'
        ? nodes
        : sp.nodes === 'controlPlane'
          ? nodes.filter((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined)
          : nodes.filter((n) => (sp.nodes as readonly string[]).includes(n.metadata.name));
    for (const node of on) createRunning(ctx, mirrorPod(sp.name, sp.namespace, node));
  }

  let cursor = 0;
  for (const d of w.deployments) {
    const template = podTemplate(d.name, {
      emptyDir: d.emptyDir,
      grace: d.terminationGracePeriodSeconds,
      ...(d.requests ? { requests: d.requests } : {}),
    });
    const dep = store.create('deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: d.name, namespace: d.namespace, labels: { app: d.name } },
      spec: {
        replicas: d.replicas,
        selector: { matchLabels: { app: d.name } },
        template,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      },
    });
    const hash = templateHash(ctx);
    const rsTemplate = structuredClone(template);
    rsTemplate.metadata.labels['pod-template-hash'] = hash;
    const rs = store.create('replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.name}-${hash}`,
        namespace: d.namespace,
        labels: rsTemplate.metadata.labels,
        annotations: { 'deployment.kubernetes.io/revision': '1' },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: d.name,
            uid: dep.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: d.replicas,
        selector: { matchLabels: { app: d.name, 'pod-template-hash': hash } },
        template: rsTemplate,
      },
    });
    const probe = podFromTemplate(rs, rsTemplate, 'probe', {});
    const fit = nodes.filter((n) => !unfitReason(probe, n));
    for (let i = 0; i < d.replicas; i++) {
      // Round-robin over the nodes that fit and have room; none: Pending, for the scheduler.
      let node: KObject | undefined;
      for (let tried = 0; tried < fit.length && !node; tried++) {
        const n = fit[cursor++ % fit.length] as KObject;
        if (fits(ctx, probe, n)) node = n;
      }
      const pod = podFromTemplate(rs, rsTemplate, nameSuffix(ctx.random), {}, node?.metadata.name);
      if (node) createRunning(ctx, pod);
      else createPod(ctx, pod);
    }
    if (d.pdb) {
      store.create('poddisruptionbudgets', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: d.name, namespace: d.namespace },
        spec: { selector: { matchLabels: { app: d.name } }, ...d.pdb },
      });
    }
  }

  for (const ds of w.daemonSets) {
    const template = podTemplate(ds.name, {
      tolerateAll: true,
      grace: 30,
      ...(ds.requests ? { requests: ds.requests } : {}),
    });
    const obj = store.create('daemonsets', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: ds.name, namespace: ds.namespace, labels: { app: ds.name } },
      spec: {
        selector: { matchLabels: { app: ds.name } },
        template,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      },
    });
    for (const node of nodes) {
      createBound(
        ctx,
        podFromTemplate(
          obj,
          template,
          nameSuffix(ctx.random),
          { 'controller-revision-hash': 'rev1', 'pod-template-generation': '1' },
          node.metadata.name,
        ),
        node,
      );
    }
  }

  const single = (b: ScenarioBarePod, pod: KObject): KObject => {
    const node = nodes.find((n) => n.metadata.name === b.node) as KObject;
    return b.phase === 'Running' ? createBound(ctx, pod, node) : createSingle(ctx, pod, b.phase);
  };
  for (const b of w.barePods) single(b, barePod(b.name, b.namespace, b.node, b.emptyDir, b.requests));
  for (const o of w.orphanedPods) {
    const pod = barePod(o.name, o.namespace, o.node, o.emptyDir, o.requests);
    // The reference a DaemonSet's controller wrote, to a DaemonSet (and uid) that is no more.
    pod.metadata.ownerReferences = [
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        name: o.daemonSet,
        uid: randomUuid(ctx.random),
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
    single(o, pod);
  }
}
