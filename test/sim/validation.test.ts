// The simulator refuses, with kube-apiserver's code, reason and message, what a real server refuses on
// create: object meta (names, label keys and values, annotations), pods without containers, and Leases
// whose fields do not decode or validate. Each row is named after the Kubernetes rule it mirrors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/sim/clock.js';
import { StatusError, type KStatus } from '../../src/sim/status.js';
import { createStore } from '../../src/sim/store.js';
import type { KObject, Store } from '../../src/sim/types.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const LAYOUT = '"2006-01-02T15:04:05.000000Z07:00"';

const CONTAINERS = [{ name: 'c', image: 'busybox' }];
const pod = (name: string, meta: Record<string, unknown> = {}, spec: unknown = { containers: CONTAINERS }) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...meta }, spec }) as unknown as KObject;
const lease = (spec: Record<string, unknown>, meta: Record<string, unknown> = {}) =>
  ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'l', namespace: 'kube-system', ...meta },
    spec: { holderIdentity: 'a', leaseDurationSeconds: 15, ...spec },
  }) as unknown as KObject;

function refusal(fn: () => unknown): KStatus {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e.status;
    throw e;
  }
  return assert.fail('expected the simulator to refuse this object');
}

const fresh = (): Store => createStore(manualClock(Date.UTC(2025, 0, 6, 3)));

interface Row {
  readonly rule: string;
  readonly resource: string;
  readonly obj: KObject;
  readonly code: number;
  readonly message: string;
  /** Field and reason of each cause (422 only). */
  readonly causes?: readonly (readonly [string, string])[];
}

const long = (n: number, c = 'a'): string => c.repeat(n);

const REFUSED: readonly Row[] = [
  {
    rule: 'ValidateObjectMeta: metadata.name is IsDNS1123Subdomain (lower case)',
    resource: 'pods',
    obj: pod('Bad_Name'),
    code: 422,
    message: `Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`,
    causes: [['metadata.name', 'FieldValueInvalid']],
  },
  {
    rule: 'IsDNS1123Subdomain: at most 253 characters',
    resource: 'nodes',
    obj: { apiVersion: 'v1', kind: 'Node', metadata: { name: long(254) } } as KObject,
    code: 422,
    message: `Node "${long(254)}" is invalid: metadata.name: Invalid value: "${long(254)}": must be no more than 253 characters`,
  },
  {
    rule: 'ValidateObjectMeta: name or generateName is required',
    resource: 'pods',
    obj: pod(''),
    code: 422,
    message: 'Pod "" is invalid: metadata.name: Required value: name or generateName is required',
    causes: [['metadata.name', 'FieldValueRequired']],
  },
  {
    rule: 'ValidateNamespaceName: a namespace name is a DNS-1123 label (no dots)',
    resource: 'namespaces',
    obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.a' } } as KObject,
    code: 422,
    message: 'Namespace "team.a" is invalid: metadata.name: Invalid value: "team.a": must not contain dots',
  },
  {
    rule: 'ValidateLabels: a label key is IsQualifiedName',
    resource: 'pods',
    obj: pod('p', { labels: { 'bad key': 'x' } }),
    code: 422,
    message: `Pod "p" is invalid: metadata.labels: Invalid value: "bad key": ${NAME_PART_MSG}`,
    causes: [['metadata.labels', 'FieldValueInvalid']],
  },
  {
    rule: 'IsQualifiedName: the prefix is a DNS-1123 subdomain',
    resource: 'pods',
    obj: pod('p', { labels: { 'Example.com/app': 'x' } }),
    code: 422,
    message: `Pod "p" is invalid: metadata.labels: Invalid value: "Example.com/app": prefix part ${SUBDOMAIN_MSG}`,
  },
  {
    rule: 'IsQualifiedName: the name part is at most 63 characters',
    resource: 'pods',
    obj: pod('p', { labels: { [`example.com/${long(64)}`]: 'x' } }),
    code: 422,
    message: `Pod "p" is invalid: metadata.labels: Invalid value: "example.com/${long(64)}": name part must be no more than 63 characters`,
  },
  {
    rule: 'IsValidLabelValue: at most 63 characters',
    resource: 'pods',
    obj: pod('p', { labels: { app: long(64) } }),
    code: 422,
    message: `Pod "p" is invalid: metadata.labels: Invalid value: "${long(64)}": must be no more than 63 characters`,
  },
  {
    rule: 'IsValidLabelValue: alphanumerics, -, _ and . only',
    resource: 'pods',
    obj: pod('p', { labels: { app: 'has space' } }),
    code: 422,
    message: `Pod "p" is invalid: metadata.labels: Invalid value: "has space": ${LABEL_VALUE_MSG}`,
  },
  {
    rule: 'ValidateAnnotations: TotalAnnotationSizeLimitB is 256 KiB of keys and values',
    resource: 'pods',
    obj: pod('p', { annotations: { a: long(131072), b: long(131071) } }),
    code: 422,
    message: 'Pod "p" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes',
    causes: [['metadata.annotations', 'FieldValueTooLong']],
  },
  {
    rule: 'ValidateAnnotations: an annotation key is IsQualifiedName (at most one /)',
    resource: 'pods',
    obj: pod('p', { annotations: { 'a/b/c': 'x' } }),
    code: 422,
    message: `Pod "p" is invalid: metadata.annotations: Invalid value: "a/b/c": a qualified name ${NAME_PART_MSG.replace('name part ', '')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
  },
  {
    rule: 'ValidatePodSpec: spec.containers is required',
    resource: 'pods',
    obj: pod('p', {}, { nodeName: 'n1' }),
    code: 422,
    message: 'Pod "p" is invalid: spec.containers: Required value',
    causes: [['spec.containers', 'FieldValueRequired']],
  },
  {
    rule: 'validateContainers: a container has a name and an image',
    resource: 'pods',
    obj: pod('p', {}, { containers: [{ name: 'c' }] }),
    code: 422,
    message: 'Pod "p" is invalid: spec.containers[0].image: Required value',
  },
  {
    rule: 'ValidateLeaseSpec: leaseDurationSeconds must be greater than 0',
    resource: 'leases',
    obj: lease({ leaseDurationSeconds: 0 }),
    code: 422,
    message:
      'Lease.coordination.k8s.io "l" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    causes: [['spec.leaseDurationSeconds', 'FieldValueInvalid']],
  },
  {
    rule: 'ValidateLeaseSpec: leaseTransitions must be greater than or equal to 0',
    resource: 'leases',
    obj: lease({ leaseTransitions: -1 }),
    code: 422,
    message:
      'Lease.coordination.k8s.io "l" is invalid: spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  },
  {
    rule: 'decode: leaseDurationSeconds is an int32, not a string',
    resource: 'leases',
    obj: lease({ leaseDurationSeconds: '15' }),
    code: 400,
    message:
      'Lease in version "v1" cannot be handled as a Lease: json: cannot unmarshal string into Go struct field LeaseSpec.spec.leaseDurationSeconds of type int32',
  },
  {
    rule: 'decode: leaseDurationSeconds is a whole number',
    resource: 'leases',
    obj: lease({ leaseDurationSeconds: 1.5 }),
    code: 400,
    message:
      'Lease in version "v1" cannot be handled as a Lease: json: cannot unmarshal number 1.5 into Go struct field LeaseSpec.spec.leaseDurationSeconds of type int32',
  },
  {
    rule: 'decode: holderIdentity is a string',
    resource: 'leases',
    obj: lease({ holderIdentity: 7 }),
    code: 400,
    message:
      'Lease in version "v1" cannot be handled as a Lease: json: cannot unmarshal number into Go struct field LeaseSpec.spec.holderIdentity of type string',
  },
  {
    rule: 'decode: MicroTime is RFC3339Micro, whole seconds do not parse',
    resource: 'leases',
    obj: lease({ renewTime: '2025-01-06T03:00:00Z' }),
    code: 400,
    message: `Lease in version "v1" cannot be handled as a Lease: parsing time "2025-01-06T03:00:00Z" as ${LAYOUT}: cannot parse "Z" as ".000000"`,
  },
  {
    rule: 'decode: MicroTime has exactly six fractional digits, milliseconds do not parse',
    resource: 'leases',
    obj: lease({ acquireTime: '2025-01-06T03:00:00.123Z' }),
    code: 400,
    message: `Lease in version "v1" cannot be handled as a Lease: parsing time "2025-01-06T03:00:00.123Z" as ${LAYOUT}: cannot parse ".123Z" as ".000000"`,
  },
  {
    rule: 'decode: MicroTime month out of range',
    resource: 'leases',
    obj: lease({ renewTime: '2025-13-06T03:00:00.000000Z' }),
    code: 400,
    message:
      'Lease in version "v1" cannot be handled as a Lease: parsing time "2025-13-06T03:00:00.000000Z": month out of range',
  },
  {
    rule: 'decode: a label value is a string (ObjectMeta.labels is map[string]string)',
    resource: 'pods',
    obj: pod('p', { labels: { replicas: 3 } }),
    code: 400,
    message:
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
  },
];

describe('objects kube-apiserver refuses on create', () => {
  for (const row of REFUSED) {
    it(`${row.rule} (${row.code})`, () => {
      const store = fresh();
      const s = refusal(() => store.create(row.resource, row.obj));
      assert.equal(s.code, row.code);
      assert.equal(s.reason, row.code === 422 ? 'Invalid' : 'BadRequest');
      assert.equal(s.message, row.message);
      if (row.causes) {
        assert.deepEqual(
          s.details?.causes?.map((c) => [c.field, c.reason]),
          row.causes,
        );
      }
      assert.equal(store.list(row.resource).items.length, 0, 'nothing is stored');
    });
  }
});

describe('objects at the edge of each rule are accepted', () => {
  const ACCEPTED: readonly (readonly [string, string, KObject])[] = [
    [
      'a 253-character name',
      'nodes',
      { apiVersion: 'v1', kind: 'Node', metadata: { name: long(253) } } as KObject,
    ],
    ['a 63-character label value and an empty one', 'pods', pod('p', { labels: { a: long(63), b: '' } })],
    [
      'an upper-case annotation key (annotations ignore case)',
      'pods',
      pod('p', { annotations: { 'Team/Owner': 'x' } }),
    ],
    ['a prefixed label key', 'pods', pod('p', { labels: { 'example.com/My_Name.1': 'v' } })],
    [
      'annotations of exactly 256 KiB',
      'pods',
      pod('p', { annotations: { a: long(131072), b: long(131070) } }),
    ],
    ['a MicroTime with six fractional digits', 'leases', lease({ renewTime: '2025-01-06T03:00:00.123456Z' })],
    ['a MicroTime with an offset', 'leases', lease({ acquireTime: '2025-01-06T05:00:00.000000+02:00' })],
    ['a Lease with no duration and no transitions', 'leases', lease({ leaseDurationSeconds: null })],
  ];
  for (const [what, resource, obj] of ACCEPTED) {
    it(what, () => {
      const store = fresh();
      assert.equal(store.create(resource, obj).metadata.name, obj.metadata.name);
    });
  }
});
