// Reading a helper pod's state from its status: exits, start failures, deadlines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { describeState, podState } from '../../src/adapters/k8s/helper-pod-run.js';

const pod = (status: V1PodStatus): V1Pod => ({ metadata: { name: 'p' }, status });

test('a terminated container gives its exit code and trimmed termination message', () => {
  const s = podState(
    pod({
      phase: 'Failed',
      containerStatuses: [cs({ terminated: { exitCode: 10, message: 'linux-image\n', reason: 'Error' } })],
    }),
  );
  assert.deepEqual(s, { kind: 'exited', exitCode: 10, message: 'linux-image', reason: 'Error' });
});

test('image pull errors fail at once with the reason', () => {
  const s = podState(
    pod({
      phase: 'Pending',
      containerStatuses: [
        cs({ waiting: { reason: 'ImagePullBackOff', message: 'back-off pulling busybox' } }),
      ],
    }),
  );
  assert.deepEqual(s, {
    kind: 'failed',
    cause: 'ImagePullBackOff: back-off pulling busybox',
    started: false,
  });
  assert.match(describeState(s), /ImagePullBackOff/);
});

test('a pod failed by its deadline without a container exit is a failure with the pod reason', () => {
  const s = podState(
    pod({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    }),
  );
  assert.equal(s.kind, 'failed');
  if (s.kind === 'failed') assert.match(s.cause, /^DeadlineExceeded: /);
});

test('pending and running states are not final', () => {
  assert.deepEqual(
    podState(
      pod({ phase: 'Pending', containerStatuses: [cs({ waiting: { reason: 'ContainerCreating' } })] }),
    ),
    {
      kind: 'pending',
      detail: 'ContainerCreating',
    },
  );
  assert.deepEqual(podState(pod({ phase: 'Running', containerStatuses: [cs({ running: {} })] })), {
    kind: 'running',
  });
  assert.deepEqual(podState({ metadata: { name: 'p' } }), { kind: 'pending', detail: 'not yet scheduled' });
});

function cs(
  state: NonNullable<V1PodStatus['containerStatuses']>[number]['state'],
): NonNullable<V1PodStatus['containerStatuses']>[number] {
  return { name: 'check', image: 'busybox', imageID: '', ready: false, restartCount: 0, state };
}
