// The simulator's object store: versions, conflicts, Status errors, graceful deletion, paging,
// watches with replay and selector transitions, change listeners, and a 30,000-pod scale check.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/sim/clock.js';
import {
  conflict,
  gone,
  statusOf,
  StatusError,
  tooManyRequests,
  type KStatus,
} from '../../src/sim/status.js';
import { createStore } from '../../src/sim/store.js';
import { PatchType, type KObject, type Store, type WatchEvent } from '../../src/sim/types.js';

const T0 = Date.UTC(2025, 0, 6, 3, 0, 0);

function setup(historySize?: number): { store: Store; clock: ReturnType<typeof manualClock> } {
  const clock = manualClock(T0);
  return { store: createStore(clock, historySize === undefined ? {} : { historySize }), clock };
}

function nodeObj(name: string, labels: Record<string, string> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    spec: {},
    status: { phase: 'Running' },
  };
}

/** A pod spec's one container: a real server refuses a pod without one. */
const CONTAINERS = { containers: [{ name: 'c', image: 'i' }] };

function podObj(
  name: string,
  ns = 'default',
  nodeName?: string,
  labels: Record<string, string> = {},
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { ...(nodeName === undefined ? {} : { nodeName }), ...CONTAINERS },
  };
}

/** The Status a call throws (fails the test when it does not throw a StatusError). */
function statusThrown(fn: () => unknown): KStatus {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e.status;
    throw e;
  }
  assert.fail('expected a StatusError');
}

describe('store writes', () => {
  it('fills in uid, creationTimestamp, kind, apiVersion and a resourceVersion on create', () => {
    const { store } = setup();
    const n = store.create('nodes', { metadata: { name: 'n1' } } as KObject);
    assert.equal(n.kind, 'Node');
    assert.equal(n.apiVersion, 'v1');
    assert.match(n.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(n.metadata.creationTimestamp, '2025-01-06T03:00:00Z');
    assert.equal(n.metadata.resourceVersion, String(store.currentResourceVersion()));
    const d = store.create('deployments', { metadata: { name: 'web' }, spec: {} } as KObject);
    assert.equal(d.apiVersion, 'apps/v1');
    assert.equal(d.metadata.namespace, 'default');
    assert.equal(d.metadata.generation, 1);
  });

  it('increments the resourceVersion on every write', () => {
    const { store } = setup();
    const seen: number[] = [store.currentResourceVersion()];
    const n = store.create('nodes', nodeObj('n1'));
    seen.push(Number(n.metadata.resourceVersion));
    const u = store.update('nodes', { ...n, metadata: { ...n.metadata, labels: { a: 'b' } } });
    seen.push(Number(u.metadata.resourceVersion));
    const p = store.patch('nodes', undefined, 'n1', PatchType.Merge, { metadata: { labels: { a: 'c' } } });
    seen.push(Number(p.metadata.resourceVersion));
    const s = store.update('nodes', { ...p, status: { phase: 'Other' } }, { subresource: 'status' });
    seen.push(Number(s.metadata.resourceVersion));
    const d = store.delete('nodes', undefined, 'n1');
    seen.push(Number(d.metadata.resourceVersion));
    for (let i = 1; i < seen.length; i++) assert.ok((seen[i] as number) > (seen[i - 1] as number), `${seen}`);
    assert.equal(store.currentResourceVersion(), seen[seen.length - 1]);
  });

  it('a no-op update changes nothing, not even the resourceVersion', () => {
    const { store } = setup();
    const n = store.create('nodes', nodeObj('n1'));
    const same = store.patch('nodes', undefined, 'n1', PatchType.StrategicMerge, { spec: {} });
    assert.equal(same.metadata.resourceVersion, n.metadata.resourceVersion);
  });

  it('names objects from generateName', () => {
    const { store } = setup();
    const p = store.create('pods', { metadata: { generateName: 'web-' }, spec: CONTAINERS } as KObject);
    assert.match(p.metadata.name, /^web-[a-z0-9]{5}$/);
  });

  it('copies objects in and out', () => {
    const { store } = setup();
    const input = nodeObj('n1', { a: '1' });
    const created = store.create('nodes', input);
    input.metadata.labels = { a: 'changed' };
    created.metadata.labels = { a: 'changed too' };
    assert.deepEqual(store.get('nodes', undefined, 'n1').metadata.labels, { a: '1' });
  });

  const errors: Array<[string, (s: Store) => unknown, number, string, Record<string, unknown>]> = [
    [
      'get of a missing pod',
      (s) => s.get('pods', 'default', 'nope'),
      404,
      'NotFound',
      { name: 'nope', kind: 'pods' },
    ],
    [
      'get of a missing deployment names the group',
      (s) => s.get('deployments', 'default', 'x'),
      404,
      'NotFound',
      { name: 'x', group: 'apps', kind: 'deployments' },
    ],
    [
      'create of an existing node',
      (s) => s.create('nodes', nodeObj('n1')),
      409,
      'AlreadyExists',
      { name: 'n1', kind: 'nodes' },
    ],
    [
      'create without a name',
      (s) => s.create('pods', { metadata: {} } as KObject),
      422,
      'Invalid',
      { kind: 'Pod' },
    ],
    [
      'a namespace on a cluster-scoped kind',
      (s) => s.create('nodes', { metadata: { name: 'n2', namespace: 'x' } } as KObject),
      400,
      'BadRequest',
      {},
    ],
    [
      'update with a stale resourceVersion',
      (s) => s.update('nodes', { ...nodeObj('n1'), metadata: { name: 'n1', resourceVersion: '1' } }),
      409,
      'Conflict',
      { name: 'n1', kind: 'nodes' },
    ],
    ['an unknown resource', (s) => s.list('widgets'), 404, 'NotFound', {}],
  ];
  for (const [name, call, code, reason, details] of errors) {
    it(`${name} is ${code} ${reason}`, () => {
      const { store } = setup();
      store.create('nodes', nodeObj('n1'));
      const st = statusThrown(() => call(store));
      assert.equal(st.kind, 'Status');
      assert.equal(st.apiVersion, 'v1');
      assert.equal(st.status, 'Failure');
      assert.equal(st.code, code);
      assert.equal(st.reason, reason);
      for (const [k, v] of Object.entries(details))
        assert.equal((st.details as Record<string, unknown>)[k], v, k);
    });
  }

  it('NotFound and Conflict carry the messages kubectl prints', () => {
    const { store } = setup();
    const n = store.create('nodes', nodeObj('n1'));
    assert.equal(statusThrown(() => store.get('pods', 'default', 'p')).message, 'pods "p" not found');
    store.patch('nodes', undefined, 'n1', PatchType.Merge, { metadata: { labels: { x: 'y' } } });
    assert.equal(
      statusThrown(() => store.update('nodes', n)).message,
      'Operation cannot be fulfilled on nodes "n1": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('an update without a resourceVersion is unconditional', () => {
    const { store } = setup();
    store.create('nodes', nodeObj('n1'));
    store.patch('nodes', undefined, 'n1', PatchType.Merge, { metadata: { labels: { x: 'y' } } });
    const u = store.update('nodes', nodeObj('n1', { z: '1' }));
    assert.deepEqual(u.metadata.labels, { z: '1' });
  });

  for (const type of [PatchType.Merge, PatchType.StrategicMerge]) {
    it(`a ${type} patch carrying a stale resourceVersion is a conflict and writes nothing`, () => {
      const { store } = setup();
      const created = store.create('nodes', nodeObj('n1'));
      const current = store.patch('nodes', undefined, 'n1', PatchType.Merge, {
        metadata: { labels: { x: 'y' } },
      });
      const st = statusThrown(() =>
        store.patch('nodes', undefined, 'n1', type, {
          metadata: { resourceVersion: created.metadata.resourceVersion, labels: { x: 'z' } },
          spec: { unschedulable: true },
        }),
      );
      assert.equal(st.code, 409);
      assert.equal(
        st.message,
        'Operation cannot be fulfilled on nodes "n1": the object has been modified; please apply your changes to the latest version and try again',
      );
      const after = store.get('nodes', undefined, 'n1');
      assert.equal(after.metadata.resourceVersion, current.metadata.resourceVersion);
      assert.equal(after.metadata.labels?.['x'], 'y');
      assert.equal(after.spec.unschedulable, undefined);
      const ok = store.patch('nodes', undefined, 'n1', type, {
        metadata: { resourceVersion: current.metadata.resourceVersion, labels: { x: 'z' } },
      });
      assert.equal(ok.metadata.labels?.['x'], 'z');
    });
  }

  it('a plain update keeps status; a status update changes only status', () => {
    const { store } = setup();
    store.create('pods', { ...podObj('p', 'default', 'n1'), status: { phase: 'Running' } });
    const u = store.update('pods', {
      ...podObj('p', 'default', 'n1', { a: 'b' }),
      status: { phase: 'Failed' },
    });
    assert.equal(u.status.phase, 'Running');
    assert.deepEqual(u.metadata.labels, { a: 'b' });
    const s = store.update(
      'pods',
      { ...podObj('p', 'default', 'n9', { a: 'zzz' }), status: { phase: 'Succeeded' } },
      { subresource: 'status' },
    );
    assert.equal(s.status.phase, 'Succeeded');
    assert.equal(s.spec.nodeName, 'n1');
    assert.deepEqual(s.metadata.labels, { a: 'b' });
  });

  it('generation bumps on a deployment spec change but not on a status change', () => {
    const { store } = setup();
    store.create('deployments', { metadata: { name: 'web' }, spec: { replicas: 1 } } as KObject);
    const p = store.patch('deployments', 'default', 'web', PatchType.Merge, { spec: { replicas: 3 } });
    assert.equal(p.metadata.generation, 2);
    const s = store.patch(
      'deployments',
      'default',
      'web',
      PatchType.Merge,
      { status: { replicas: 3 } },
      { subresource: 'status' },
    );
    assert.equal(s.metadata.generation, 2);
    assert.equal(s.status.replicas, 3);
  });

  it('a patch cannot rename an object or change its uid', () => {
    const { store } = setup();
    store.create('nodes', nodeObj('n1'));
    assert.equal(
      statusThrown(() => store.patch('nodes', undefined, 'n1', PatchType.Merge, { metadata: { name: 'n2' } }))
        .code,
      400,
    );
    assert.equal(
      statusThrown(() =>
        store.patch('nodes', undefined, 'n1', PatchType.Merge, { metadata: { uid: 'other' } }),
      ).code,
      409,
    );
    assert.equal(store.tryGet('nodes', undefined, 'n2'), undefined);
  });
});

describe('store deletion', () => {
  it('a scheduled pod with a grace period gets deletionTimestamp and stays until removed', () => {
    const { store } = setup();
    store.create('pods', {
      ...podObj('p', 'default', 'n1'),
      spec: { ...CONTAINERS, nodeName: 'n1', terminationGracePeriodSeconds: 45 },
    });
    const d = store.delete('pods', 'default', 'p');
    assert.equal(d.metadata.deletionTimestamp, '2025-01-06T03:00:45Z');
    assert.equal(d.metadata.deletionGracePeriodSeconds, 45);
    assert.ok(store.tryGet('pods', 'default', 'p'));
    store.remove('pods', 'default', 'p');
    assert.equal(store.tryGet('pods', 'default', 'p'), undefined);
    store.remove('pods', 'default', 'p'); // removing twice is harmless
  });

  const immediate: Array<[string, KObject, number | undefined]> = [
    ['grace 0', podObj('p', 'default', 'n1'), 0],
    ['an unscheduled pod', podObj('p', 'default'), undefined],
    ['a finished pod', { ...podObj('p', 'default', 'n1'), status: { phase: 'Succeeded' } }, undefined],
  ];
  for (const [name, pod, grace] of immediate) {
    it(`${name} is deleted at once`, () => {
      const { store } = setup();
      store.create('pods', pod);
      store.delete('pods', 'default', 'p', grace === undefined ? {} : { gracePeriodSeconds: grace });
      assert.equal(store.tryGet('pods', 'default', 'p'), undefined);
    });
  }

  it('a terminating pod asked again with grace 0 goes at once; with a shorter grace it is shortened', () => {
    const { store } = setup();
    store.create('pods', podObj('p', 'default', 'n1'));
    assert.equal(store.delete('pods', 'default', 'p').metadata.deletionGracePeriodSeconds, 30);
    assert.equal(
      store.delete('pods', 'default', 'p', { gracePeriodSeconds: 60 }).metadata.deletionGracePeriodSeconds,
      30,
    );
    assert.equal(
      store.delete('pods', 'default', 'p', { gracePeriodSeconds: 5 }).metadata.deletionGracePeriodSeconds,
      5,
    );
    store.delete('pods', 'default', 'p', { gracePeriodSeconds: 0 });
    assert.equal(store.tryGet('pods', 'default', 'p'), undefined);
  });

  it('other kinds go at once', () => {
    const { store } = setup();
    store.create('nodes', nodeObj('n1'));
    store.delete('nodes', undefined, 'n1');
    assert.equal(store.tryGet('nodes', undefined, 'n1'), undefined);
  });

  it('an object with finalizers stays until they are removed', () => {
    const { store } = setup();
    store.create('leases', {
      metadata: { name: 'l', namespace: 'kube-system', finalizers: ['x/y'] },
      spec: {},
    } as KObject);
    const d = store.delete('leases', 'kube-system', 'l');
    assert.ok(d.metadata.deletionTimestamp);
    assert.ok(store.tryGet('leases', 'kube-system', 'l'));
    store.patch('leases', 'kube-system', 'l', PatchType.Merge, { metadata: { finalizers: null } });
    assert.equal(store.tryGet('leases', 'kube-system', 'l'), undefined);
  });

  it('mismatched preconditions are a 409 and delete nothing', () => {
    const { store } = setup();
    const n = store.create('nodes', nodeObj('n1'));
    const byUid = statusThrown(() =>
      store.delete('nodes', undefined, 'n1', { preconditions: { uid: 'other' } }),
    );
    assert.equal(byUid.code, 409);
    assert.match(byUid.message, /Precondition failed: UID in precondition: other/);
    const byRv = statusThrown(() =>
      store.delete('nodes', undefined, 'n1', { preconditions: { resourceVersion: '1' } }),
    );
    assert.equal(byRv.code, 409);
    assert.ok(store.tryGet('nodes', undefined, 'n1'));
    store.delete('nodes', undefined, 'n1', {
      preconditions: { uid: n.metadata.uid, resourceVersion: n.metadata.resourceVersion },
    });
    assert.equal(store.tryGet('nodes', undefined, 'n1'), undefined);
  });
});

describe('store lists', () => {
  function seeded(): Store {
    const { store } = setup();
    for (const ns of ['b', 'a', 'kube-system']) {
      for (const name of ['p3', 'p1', 'p2'])
        store.create('pods', podObj(name, ns, name === 'p2' ? 'n2' : 'n1', { app: name }));
    }
    return store;
  }
  const names = (items: KObject[]): string[] =>
    items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

  it('lists in namespace/name order with the current resourceVersion', () => {
    const store = seeded();
    const all = store.list('pods');
    assert.deepEqual(names(all.items), [
      'a/p1',
      'a/p2',
      'a/p3',
      'b/p1',
      'b/p2',
      'b/p3',
      'kube-system/p1',
      'kube-system/p2',
      'kube-system/p3',
    ]);
    assert.equal(all.resourceVersion, String(store.currentResourceVersion()));
    assert.ok(all.items.every((o) => o.kind === 'Pod' && o.apiVersion === 'v1'));
  });

  it('filters by namespace, labels and fields', () => {
    const store = seeded();
    assert.deepEqual(names(store.list('pods', { namespace: 'b' }).items), ['b/p1', 'b/p2', 'b/p3']);
    assert.deepEqual(names(store.list('pods', { labelSelector: 'app in (p1,p3)', namespace: 'a' }).items), [
      'a/p1',
      'a/p3',
    ]);
    assert.deepEqual(names(store.list('pods', { fieldSelector: 'spec.nodeName=n2' }).items), [
      'a/p2',
      'b/p2',
      'kube-system/p2',
    ]);
    assert.deepEqual(names(store.list('pods', { fieldSelector: 'spec.nodeName=n2', namespace: 'b' }).items), [
      'b/p2',
    ]);
    assert.deepEqual(
      names(store.list('pods', { fieldSelector: 'spec.nodeName!=n1,metadata.namespace=a' }).items),
      ['a/p2'],
    );
  });

  for (const limit of [1, 2, 4, 9, 10]) {
    it(`pages of ${limit} concatenate to the full list`, () => {
      const store = seeded();
      const full = names(store.list('pods').items);
      const got: string[] = [];
      let cont: string | undefined;
      let pages = 0;
      do {
        const page = store.list('pods', { limit, ...(cont === undefined ? {} : { continue: cont }) });
        assert.ok(page.items.length <= limit);
        got.push(...names(page.items));
        if (page.continue !== undefined) assert.equal(page.remainingItemCount, full.length - got.length);
        cont = page.continue;
        pages++;
      } while (cont !== undefined);
      assert.deepEqual(got, full);
      assert.equal(pages, Math.max(1, Math.ceil(full.length / limit)));
    });
  }

  it('pages a selected list without remainingItemCount', () => {
    const store = seeded();
    const first = store.list('pods', { limit: 2, fieldSelector: 'spec.nodeName=n1' });
    assert.deepEqual(names(first.items), ['a/p1', 'a/p3']);
    assert.equal(first.remainingItemCount, undefined);
    const rest = store.list('pods', {
      limit: 10,
      fieldSelector: 'spec.nodeName=n1',
      continue: first.continue as string,
    });
    assert.deepEqual(names(rest.items), ['b/p1', 'b/p3', 'kube-system/p1', 'kube-system/p3']);
    assert.equal(rest.continue, undefined);
  });

  it('a garbled continue token is a 400', () => {
    const store = seeded();
    for (const token of ['garbage!!', Buffer.from('{"v":"x"}').toString('base64url'), 'e30']) {
      const st = statusThrown(() => store.list('pods', { continue: token }));
      assert.equal(st.code, 400, token);
      assert.equal(st.reason, 'BadRequest');
    }
  });

  it('an expired continue token is a 410', () => {
    const { store } = setup(5);
    for (let i = 0; i < 4; i++) store.create('nodes', nodeObj(`n${i}`));
    const first = store.list('nodes', { limit: 1 });
    for (let i = 0; i < 10; i++)
      store.patch('nodes', undefined, 'n0', PatchType.Merge, { metadata: { labels: { i: String(i) } } });
    const st = statusThrown(() => store.list('nodes', { limit: 1, continue: first.continue as string }));
    assert.equal(st.code, 410);
    assert.equal(st.reason, 'Expired');
  });
});

function collect(
  store: Store,
  resource: string,
  opts: Parameters<Store['watch']>[1],
): { events: WatchEvent[]; stop: () => void } {
  const events: WatchEvent[] = [];
  const stop = store.watch(resource, opts, (e) => events.push(e));
  return { events, stop };
}
const brief = (es: WatchEvent[]): string[] => es.map((e) => `${e.type} ${e.object.metadata.name}`);

describe('store watches', () => {
  it('from now sends only later changes', () => {
    const { store } = setup();
    store.create('nodes', nodeObj('old'));
    const w = collect(store, 'nodes', { resourceVersion: '0' });
    store.create('nodes', nodeObj('n1'));
    store.patch('nodes', undefined, 'n1', PatchType.StrategicMerge, { spec: { unschedulable: true } });
    store.delete('nodes', undefined, 'n1');
    assert.deepEqual(brief(w.events), ['ADDED n1', 'MODIFIED n1', 'DELETED n1']);
    assert.equal(w.events[1]?.object.spec.unschedulable, true);
    w.stop();
    store.create('nodes', nodeObj('n2'));
    assert.equal(w.events.length, 3, 'nothing after unsubscribe');
  });

  it('replays history after a resourceVersion, then goes live', () => {
    const { store } = setup();
    store.create('nodes', nodeObj('a'));
    const rv = store.list('nodes').resourceVersion;
    store.create('nodes', nodeObj('b'));
    store.create('pods', podObj('p', 'default', 'b'));
    store.delete('nodes', undefined, 'a');
    const w = collect(store, 'nodes', { resourceVersion: rv });
    assert.deepEqual(brief(w.events), ['ADDED b', 'DELETED a']);
    store.create('nodes', nodeObj('c'));
    assert.deepEqual(brief(w.events), ['ADDED b', 'DELETED a', 'ADDED c']);
    const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual(
      rvs,
      [...rvs].sort((x, y) => x - y),
    );
  });

  it('a resourceVersion older than the history is 410 Gone', () => {
    const { store } = setup(3);
    store.create('nodes', nodeObj('a'));
    const rv = store.currentResourceVersion();
    for (let i = 0; i < 5; i++)
      store.patch('nodes', undefined, 'a', PatchType.Merge, { metadata: { labels: { i: String(i) } } });
    const st = statusThrown(() => store.watch('nodes', { resourceVersion: String(rv) }, () => undefined));
    assert.equal(st.code, 410);
    assert.equal(st.reason, 'Expired');
    assert.match(st.message, new RegExp(`^too old resource version: ${rv} \\(\\d+\\)$`));
    // the history still reaches back to recent versions
    const recent = String(store.currentResourceVersion() - 2);
    assert.equal(collect(store, 'nodes', { resourceVersion: recent }).events.length, 2);
  });

  it('an object that starts or stops matching a label selector is ADDED or DELETED', () => {
    const { store } = setup();
    store.create('nodes', nodeObj('n1', { pool: 'a' }));
    const w = collect(store, 'nodes', { labelSelector: 'pool=b' });
    store.patch('nodes', undefined, 'n1', PatchType.Merge, { metadata: { labels: { pool: 'b' } } });
    store.patch('nodes', undefined, 'n1', PatchType.Merge, { metadata: { annotations: { x: 'y' } } });
    store.patch('nodes', undefined, 'n1', PatchType.Merge, { metadata: { labels: { pool: 'c' } } });
    store.patch('nodes', undefined, 'n1', PatchType.Merge, { metadata: { labels: { pool: 'd' } } });
    assert.deepEqual(brief(w.events), ['ADDED n1', 'MODIFIED n1', 'DELETED n1']);
    const del = w.events[2] as WatchEvent;
    assert.equal(del.object.metadata.labels?.pool, 'b', 'DELETED carries the last matching state');
    assert.equal(del.object.metadata.resourceVersion, String(store.currentResourceVersion() - 1));
  });

  it('field and namespace filters apply to watches', () => {
    const { store } = setup();
    const w = collect(store, 'pods', { fieldSelector: 'spec.nodeName=n1', namespace: 'a' });
    store.create('pods', podObj('x', 'a', 'n1'));
    store.create('pods', podObj('y', 'a', 'n2'));
    store.create('pods', podObj('z', 'b', 'n1'));
    assert.deepEqual(brief(w.events), ['ADDED x']);
  });

  it('a bad selector or resourceVersion on a watch is a 400', () => {
    const { store } = setup();
    assert.equal(
      statusThrown(() => store.watch('pods', { labelSelector: 'a in (' }, () => undefined)).code,
      400,
    );
    assert.equal(
      statusThrown(() => store.watch('pods', { resourceVersion: 'abc' }, () => undefined)).code,
      400,
    );
  });
});

describe('store change listeners', () => {
  it('see every write in order with copies of the new and old objects', () => {
    const { store } = setup();
    const seen: string[] = [];
    const stop = store.onChange((resource, type, obj, old) => {
      seen.push(`${resource} ${type} ${obj.metadata.name} ${old?.metadata.resourceVersion ?? '-'}`);
      obj.metadata.name = 'mutated';
    });
    const n = store.create('nodes', nodeObj('n1'));
    store.patch('nodes', undefined, 'n1', PatchType.Merge, { metadata: { labels: { a: 'b' } } });
    stop();
    store.delete('nodes', undefined, 'n1');
    assert.deepEqual(seen, ['nodes ADDED n1 -', `nodes MODIFIED n1 ${n.metadata.resourceVersion}`]);
  });

  it('writes made by a listener are seen after the write that caused them', () => {
    const { store } = setup();
    const seen: string[] = [];
    store.onChange((resource, type, obj) => {
      if (resource === 'pods' && type === 'ADDED') {
        store.create('events', {
          metadata: { name: `${obj.metadata.name}.1`, namespace: 'default' },
        } as KObject);
      }
    });
    store.onChange((resource, type, obj) => seen.push(`${resource} ${type} ${obj.metadata.name}`));
    store.create('pods', podObj('p'));
    assert.deepEqual(seen, ['pods ADDED p', 'events ADDED p.1']);
  });
});

describe('store at scale', () => {
  it('lists one node’s pods among 30,000 by spec.nodeName, paged like kubectl drain', () => {
    const { store } = setup();
    const nodes = 1000;
    for (let i = 0; i < nodes; i++) store.create('nodes', nodeObj(`node-${i}`));
    for (let i = 0; i < 30_000; i++) {
      store.create('pods', podObj(`pod-${i}`, `ns-${i % 7}`, `node-${i % nodes}`));
    }
    const want = new Set<string>();
    for (let i = 417; i < 30_000; i += nodes) want.add(`ns-${i % 7}/pod-${i}`);
    const got: string[] = [];
    let cont: string | undefined;
    do {
      const page = store.list('pods', {
        fieldSelector: 'spec.nodeName=node-417',
        limit: 500,
        ...(cont ? { continue: cont } : {}),
      });
      got.push(...page.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
      cont = page.continue;
    } while (cont !== undefined);
    assert.equal(got.length, 30);
    assert.deepEqual(new Set(got), want);
    assert.deepEqual(got, [...got].sort());
    // a rescheduled pod moves in the index
    store.update('pods', { ...podObj('pod-417', 'ns-4', 'node-1') });
    assert.equal(store.list('pods', { fieldSelector: 'spec.nodeName=node-417' }).items.length, 29);
    assert.equal(store.list('pods', { fieldSelector: 'spec.nodeName=node-1' }).items.length, 31);
    const page = store.list('pods', { limit: 500 });
    assert.equal(page.items.length, 500);
    assert.equal(page.remainingItemCount, 29_500);
  });
});

describe('Status bodies', () => {
  it('an unknown error becomes a 500 InternalError Status', () => {
    const st = statusOf(new TypeError('boom'));
    assert.deepEqual(
      { code: st.code, reason: st.reason, message: st.message, kind: st.kind, status: st.status },
      {
        code: 500,
        reason: 'InternalError',
        message: 'Internal error occurred: boom',
        kind: 'Status',
        status: 'Failure',
      },
    );
  });

  it('a PDB refusal is a 429 with a DisruptionBudget cause', () => {
    const st = statusOf(
      tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", [
        {
          reason: 'DisruptionBudget',
          message: 'The disruption budget web needs 2 healthy pods and has 2 currently',
        },
      ]),
    );
    assert.equal(st.code, 429);
    assert.equal(st.reason, 'TooManyRequests');
    assert.equal(st.details?.causes?.[0]?.reason, 'DisruptionBudget');
  });

  it('names a grouped resource with its group', () => {
    assert.match(
      conflict({ resource: 'deployments', group: 'apps' }, 'web').message,
      /^Operation cannot be fulfilled on deployments\.apps "web"/,
    );
    assert.equal(gone(5, 9).message, 'too old resource version: 5 (9)');
  });
});
