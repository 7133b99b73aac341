// Label and field selectors: the string syntax, the structured form, and the errors a real server gives.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatLabelSelector,
  labelSelectorFromSpec,
  parseFieldSelector,
  parseLabelSelector,
} from '../../src/sim/selectors.js';
import { StatusError } from '../../src/sim/status.js';
import type { KObject } from '../../src/sim/types.js';

const web = { app: 'web', tier: 'front', version: '3' };
const db = { app: 'db', role: 'primary' };
const none = {};

describe('label selector string syntax', () => {
  const cases: Array<[string, boolean, boolean, boolean]> = [
    // selector, matches web, matches db, matches no labels
    ['', true, true, true],
    ['app=web', true, false, false],
    ['app==web', true, false, false],
    ['app!=web', false, true, true],
    ['app in (web,db)', true, true, false],
    ['app in (web, cache)', true, false, false],
    ['app notin (web)', false, true, true],
    ['tier', true, false, false],
    ['!tier', false, true, true],
    ['app=web,tier=front', true, false, false],
    ['app=web,tier=back', false, false, false],
    ['app, !role', true, false, false],
    ['  app  =  db  ,  role in ( primary )  ', false, true, false],
    ['version>2', true, false, false],
    ['version<2', false, false, false],
    ['example.com/owner!=x', true, true, true],
    ['app=', false, false, false],
  ];
  for (const [sel, w, d, n] of cases) {
    it(`"${sel}" selects web=${w}, db=${d}, unlabelled=${n}`, () => {
      const s = parseLabelSelector(sel);
      assert.equal(s.matches(web), w);
      assert.equal(s.matches(db), d);
      assert.equal(s.matches(none), n);
    });
  }

  it('keywords are plain words in a value position', () => {
    assert.equal(parseLabelSelector('mode=in').matches({ mode: 'in' }), true);
    assert.equal(parseLabelSelector('mode in (notin,x)').matches({ mode: 'notin' }), true);
  });

  it('an empty value matches a label whose value is empty', () => {
    assert.equal(parseLabelSelector('app=').matches({ app: '' }), true);
  });

  const bad = [
    'app in ()',
    'app in (web',
    'app in web',
    '=web',
    'app=web=x',
    'app=web,',
    ',app',
    '!',
    '!app=web',
    'app=in valid',
    'in=x',
    'Bad Key=x',
    'app=-web',
    'a/b/c=x',
    'UPPER.example.com/x=y',
    `app=${'x'.repeat(64)}`,
    'version>abc',
    'app  web',
  ];
  for (const sel of bad) {
    it(`"${sel}" is a 400 BadRequest`, () => {
      assert.throws(
        () => parseLabelSelector(sel),
        (e: unknown) => e instanceof StatusError && e.status.code === 400 && e.status.reason === 'BadRequest',
      );
    });
  }
});

describe('structured label selectors', () => {
  it('matchLabels and matchExpressions combine with AND', () => {
    const s = labelSelectorFromSpec({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'role', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(s.matches(web), true);
    assert.equal(s.matches({ ...web, role: 'x' }), false);
    assert.equal(s.matches({ app: 'web', tier: 'back' }), false);
  });

  it('NotIn and Exists operators', () => {
    const s = labelSelectorFromSpec({
      matchExpressions: [
        { key: 'app', operator: 'NotIn', values: ['web'] },
        { key: 'role', operator: 'Exists' },
      ],
    });
    assert.equal(s.matches(db), true);
    assert.equal(s.matches(web), false);
  });

  it('an empty selector matches everything and a null one nothing', () => {
    assert.equal(labelSelectorFromSpec({}).matches(none), true);
    assert.equal(labelSelectorFromSpec({}).empty, true);
    assert.equal(labelSelectorFromSpec(null).matches(web), false);
    assert.equal(labelSelectorFromSpec(undefined).matches(none), false);
    assert.equal(labelSelectorFromSpec(null).nothing, true);
  });

  it('a bad operator or missing values is a 400', () => {
    for (const spec of [
      { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] },
      { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
    ]) {
      assert.throws(
        () => labelSelectorFromSpec(spec),
        (e: unknown) => e instanceof StatusError && e.code === 400,
      );
    }
  });

  it('formats a structured selector the way kubectl prints it', () => {
    assert.equal(
      formatLabelSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 't', operator: 'In', values: ['b', 'a'] },
          { key: 'x', operator: 'DoesNotExist' },
        ],
      }),
      'app=web,t in (a,b),!x',
    );
  });
});

function pod(name: string, ns: string, nodeName: string | undefined, phase: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: nodeName === undefined ? {} : { nodeName },
    status: { phase },
  };
}

describe('field selectors', () => {
  const a = pod('a', 'default', 'n1', 'Running');
  const b = pod('b', 'kube-system', 'n2', 'Succeeded');
  const c = pod('c', 'default', undefined, 'Pending');
  const cases: Array<[string, boolean, boolean, boolean]> = [
    ['', true, true, true],
    ['spec.nodeName=n1', true, false, false],
    ['spec.nodeName==n2', false, true, false],
    ['spec.nodeName!=n1', false, true, true],
    ['spec.nodeName=', false, false, true],
    ['metadata.namespace=default,status.phase!=Pending', true, false, false],
    ['metadata.name=b', false, true, false],
    ['status.phase!=Succeeded,status.phase!=Failed', true, false, true],
  ];
  for (const [sel, ea, eb, ec] of cases) {
    it(`pods "${sel}" selects a=${ea}, b=${eb}, c=${ec}`, () => {
      const s = parseFieldSelector(sel, 'pods');
      assert.deepEqual([s.matches(a), s.matches(b), s.matches(c)], [ea, eb, ec]);
    });
  }

  it('nodes select on spec.unschedulable, absent meaning false', () => {
    const cordoned: KObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      spec: { unschedulable: true },
    };
    const open: KObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' }, spec: {} };
    const s = parseFieldSelector('spec.unschedulable=false', 'nodes');
    assert.equal(s.matches(open), true);
    assert.equal(s.matches(cordoned), false);
  });

  it('events select on involvedObject fields', () => {
    const ev: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'n1.1', namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'n1' },
      reason: 'Rebooted',
    };
    assert.equal(
      parseFieldSelector('involvedObject.kind=Node,involvedObject.name=n1', 'events').matches(ev),
      true,
    );
    assert.equal(parseFieldSelector('involvedObject.name=n2', 'events').matches(ev), false);
    assert.equal(parseFieldSelector('reason=Rebooted', 'events').matches(ev), true);
  });

  it('an escaped comma is part of the value', () => {
    const s = parseFieldSelector('metadata.name=a\\,b', 'pods');
    assert.equal(s.matches(pod('a,b', 'default', 'n1', 'Running')), true);
    assert.equal(s.requirements.length, 1);
  });

  it('exposes the exact value an = term requires', () => {
    const s = parseFieldSelector('metadata.namespace=x,spec.nodeName=n7', 'pods');
    assert.equal(s.exact('spec.nodeName'), 'n7');
    assert.equal(parseFieldSelector('spec.nodeName!=n7', 'pods').exact('spec.nodeName'), undefined);
  });

  it('an unsupported field is a 400 "field label not supported"', () => {
    assert.throws(
      () => parseFieldSelector('spec.unschedulable=true', 'pods'),
      (e: unknown) =>
        e instanceof StatusError &&
        e.status.code === 400 &&
        e.message === 'field label not supported: spec.unschedulable',
    );
    assert.throws(
      () => parseFieldSelector('spec.nodeName=n1', 'nodes'),
      /field label not supported: spec.nodeName/,
    );
  });

  it('a term without an operator is a 400', () => {
    assert.throws(
      () => parseFieldSelector('spec.nodeName', 'pods'),
      (e: unknown) => e instanceof StatusError && e.code === 400 && /can't understand/.test(e.message),
    );
  });
});
