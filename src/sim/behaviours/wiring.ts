// Connects the store's change stream to the behaviours: keeps the pod index, turns each change into work
// keys (pod stages, owners, budgets, scheduler, DaemonSets, garbage collection), adopts nodes created
// through the API, and records cordon changes.
// May import: src/sim/* (not the HTTP layer).
import { SimHost } from '../host/host.js';
import { randomUuid } from '../random.js';
import type { KObject } from '../types.js';
import type { SimContext } from './context.js';
import { startHeartbeats, triggerReboot } from './node-lifecycle.js';
import { controllerOf, keyOf, nodeReadyStatus } from './pod-facts.js';
import { pdbSelector } from './pdb-controller.js';
import { DEFAULT_TIMING, defaultNode } from '../scenario-types.js';

/** Registers a node's host and kubelet state (for scenario nodes and nodes created through the API). */
export function adoptNode(
  ctx: SimContext,
  node: KObject,
  spec = ctx.nodes.get(node.metadata.name)?.spec,
): void {
  const name = node.metadata.name;
  if (ctx.nodes.has(name)) return;
  const host = new SimHost({
    node: name,
    bootId: node.status?.nodeInfo?.bootID ?? randomUuid(ctx.random),
    now: () => ctx.now(),
    ...(spec?.sentinelCommand ? { sentinelCommand: spec.sentinelCommand } : {}),
    ...(spec?.osImage ? { osImage: spec.osImage } : {}),
    ...(spec?.missingPrograms ? { missingPrograms: spec.missingPrograms } : {}),
  });
  host.onReboot = (via) => triggerReboot(ctx, name, via);
  ctx.hosts.set(name, host);
  ctx.nodes.set(name, {
    spec:
      spec ??
      defaultNode(name, { bootSeconds: ctx.timing.defaultBootSeconds ?? DEFAULT_TIMING.defaultBootSeconds }),
    state: nodeReadyStatus(node) === 'True' ? 'up' : 'down',
    triggeredAt: undefined,
    cancelHeartbeat: undefined,
    cancelBoot: [],
    reboots: 0,
  });
  startHeartbeats(ctx, name);
}

function allDaemonSets(ctx: SimContext): void {
  for (const ds of ctx.store.list('daemonsets').items) ctx.enqueue(`ds:${keyOf(ds)}`);
}

const schedulingView = (n: KObject | undefined): string =>
  n
    ? JSON.stringify([
        nodeReadyStatus(n),
        n.spec?.unschedulable === true,
        n.spec?.taints ?? [],
        n.metadata.labels ?? {},
      ])
    : '';

export function installWiring(ctx: SimContext): () => void {
  const pdbs = new Map<string, Map<string, KObject>>();
  return ctx.store.onChange((resource, type, obj, old) => {
    const ns = obj.metadata.namespace ?? '';
    const key = keyOf(obj);
    switch (resource) {
      case 'pods': {
        if (type === 'DELETED') ctx.pods.remove(obj);
        else ctx.pods.upsert(obj);
        if (type === 'ADDED') ctx.logs.delete(key);
        ctx.enqueue(`pod:${key}`);
        const owner = controllerOf(obj);
        if (owner?.kind === 'ReplicaSet') ctx.enqueue(`rs:${ns}/${owner.name}`);
        if (owner?.kind === 'DaemonSet') ctx.enqueue(`ds:${ns}/${owner.name}`);
        for (const [p, pdb] of pdbs.get(ns) ?? []) {
          const sel = pdbSelector(pdb);
          if (sel.matches(obj.metadata.labels) || (old && sel.matches(old.metadata.labels)))
            ctx.enqueue(`pdb:${ns}/${p}`);
        }
        if (!obj.spec?.nodeName && type !== 'DELETED') ctx.enqueue('sched:');
        break;
      }
      case 'nodes': {
        const name = obj.metadata.name;
        if (type === 'ADDED') {
          adoptNode(ctx, obj);
          allDaemonSets(ctx);
        } else if (type === 'DELETED') {
          const rt = ctx.nodes.get(name);
          rt?.cancelHeartbeat?.();
          for (const c of rt?.cancelBoot ?? []) c();
          ctx.nodes.delete(name);
          ctx.hosts.delete(name);
          allDaemonSets(ctx);
        } else {
          const was = old?.spec?.unschedulable === true;
          const is = obj.spec?.unschedulable === true;
          if (was !== is) ctx.record.append({ kind: 'cordon', at: ctx.now(), node: name, unschedulable: is });
        }
        if (schedulingView(obj) !== schedulingView(old)) ctx.enqueue('sched:');
        break;
      }
      case 'deployments':
        ctx.enqueue(type === 'DELETED' ? `gc:${ns}/${obj.metadata.uid}` : `deploy:${key}`);
        break;
      case 'replicasets': {
        ctx.enqueue(type === 'DELETED' ? `gc:${ns}/${obj.metadata.uid}` : `rs:${key}`);
        if (JSON.stringify(obj.spec?.replicas) !== JSON.stringify(old?.spec?.replicas)) {
          for (const p of pdbs.get(ns)?.keys() ?? []) ctx.enqueue(`pdb:${ns}/${p}`);
        }
        break;
      }
      case 'daemonsets':
        ctx.enqueue(type === 'DELETED' ? `gc:${ns}/${obj.metadata.uid}` : `ds:${key}`);
        break;
      case 'poddisruptionbudgets': {
        if (!pdbs.has(ns)) pdbs.set(ns, new Map());
        if (type === 'DELETED') pdbs.get(ns)?.delete(obj.metadata.name);
        else {
          pdbs.get(ns)?.set(obj.metadata.name, obj);
          if (type === 'ADDED' || obj.metadata.generation !== old?.metadata.generation)
            ctx.enqueue(`pdb:${key}`);
        }
        break;
      }
    }
  });
}
