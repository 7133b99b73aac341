// Builders of status pieces and events: a pod's Running status (conditions, container statuses) and
// an Event about an object.
// May import: src/sim/* (not the HTTP layer).
import { rfc3339 } from '../store.js';
import type { KObject } from '../types.js';
import { condition } from './objects.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- statuses are loose JSON */

/** Running status; Ready when `ready`. `restarts` carries over a restart count. */
export function runningStatus(pod: KObject, now: number, ready: boolean, startedAt?: string): any {
  const ts = rfc3339(now);
  const st = pod.status ?? {};
  const started = startedAt ?? st.containerStatuses?.[0]?.state?.running?.startedAt ?? ts;
  const cond = (type: string, ok: boolean): any => {
    const prev = (st.conditions ?? []).find((c: any) => c.type === type);
    const status = ok ? 'True' : 'False';
    return prev?.status === status ? prev : condition(type, status, now);
  };
  return {
    ...st,
    phase: 'Running',
    hostIP: st.hostIP ?? '10.0.0.1',
    podIP: st.podIP ?? `10.244.0.${(Math.abs(hashOf(pod.metadata.name)) % 250) + 2}`,
    startTime: st.startTime ?? ts,
    conditions: [
      cond('PodReadyToStartContainers', true),
      cond('Initialized', true),
      cond('Ready', ready),
      cond('ContainersReady', ready),
      cond('PodScheduled', true),
    ],
    // A container keeps its id, restart count and last termination until the kubelet restarts it again.
    containerStatuses: (pod.spec?.containers ?? []).map((c: any, i: number) => {
      const prev = st.containerStatuses?.[i];
      return {
        name: c.name,
        image: c.image,
        imageID: `${c.image}@sha256:0000`,
        containerID: prev?.containerID ?? containerIdOf(pod, i, 0),
        ready,
        started: true,
        restartCount: prev?.restartCount ?? 0,
        state: { running: { startedAt: started } },
        ...(prev?.lastState?.terminated ? { lastState: prev.lastState } : {}),
      };
    }),
  };
}

/** The runtime's id of a pod's container `i` after `restarts` restarts: each restart makes a new container. */
export function containerIdOf(pod: KObject, i: number, restarts: number): string {
  const base = pod.metadata.uid?.replace(/-/g, '') ?? String(i);
  return `containerd://${base}${i > 0 ? `-${i}` : ''}${restarts > 0 ? `-r${restarts}` : ''}`;
}

function hashOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

export function eventObject(
  involved: KObject,
  reason: string,
  message: string,
  now: number,
  suffix: string,
  type = 'Normal',
): KObject {
  const ts = rfc3339(now);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${involved.metadata.name}.${suffix}`,
      namespace: involved.metadata.namespace ?? 'default',
    },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: involved.metadata.name,
      uid: involved.metadata.uid,
      ...(involved.metadata.namespace ? { namespace: involved.metadata.namespace } : {}),
    },
    reason,
    message,
    type,
    count: 1,
    firstTimestamp: ts,
    lastTimestamp: ts,
    eventTime: null,
    source: { component: 'kubelet', host: involved.kind === 'Node' ? involved.metadata.name : undefined },
    reportingComponent: 'kubelet',
    reportingInstance: involved.kind === 'Node' ? involved.metadata.name : '',
  };
}
