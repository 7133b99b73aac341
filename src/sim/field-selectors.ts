// Field selectors as Kubernetes parses them: `f=v`, `f==v`, `f!=v`, comma = AND, backslash escapes.
// Only the fields a real server supports for each resource are accepted; others give its 400 BadRequest
// ("field label not supported: x", or for kinds without their own fields the generic message).
// May import: ./status.js, ./types.js.

import { badRequest } from './status.js';
import type { KObject } from './types.js';

export interface FieldRequirement {
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  readonly empty: boolean;
  matches(obj: KObject): boolean;
  /** The value required by an `=` term on this field, if any (lets the store use an index). */
  exact(field: string): string | undefined;
}

type Getter = (o: KObject) => string;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const bool = (v: unknown): string => (v === true ? 'true' : 'false');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const field = (o: KObject, k: string): any => (o as Record<string, any>)[k];

const NAME: Record<string, Getter> = { 'metadata.name': (o) => str(o.metadata?.name) };
const NAME_AND_NAMESPACE: Record<string, Getter> = {
  ...NAME,
  'metadata.namespace': (o) => str(o.metadata?.namespace),
};

/**
 * What a real server accepts per resource, and how it refuses the rest. The list is the field label
 * conversion function registered for the kind (pkg/apis/core/v1/conversion.go for pods, nodes,
 * namespaces and events); a kind with none (apps/v1, policy/v1, coordination.k8s.io/v1 here) gets
 * runtime.DefaultMetaV1FieldSelectorConversion: metadata.name and metadata.namespace only, with its own
 * message. Values come from the registry's selectable fields (e.g. pod strategy ToSelectableFields);
 * a label accepted but not selectable (pods' status.podIPs) is the empty string there.
 */
interface FieldRules {
  readonly getters: Readonly<Record<string, Getter>>;
  /** Old names the conversion rewrites (pods' spec.host is spec.nodeName). */
  readonly aliases?: Readonly<Record<string, string>>;
  readonly refuse: (label: string) => string;
}

const notSupported = (label: string): string => `field label not supported: ${label}`;

const DEFAULT_RULES: FieldRules = {
  getters: NAME_AND_NAMESPACE,
  refuse: (label) => `"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

const BY_RESOURCE: Readonly<Record<string, FieldRules>> = {
  pods: {
    getters: {
      ...NAME_AND_NAMESPACE,
      'spec.nodeName': (o) => str(o.spec?.nodeName),
      'spec.restartPolicy': (o) => str(o.spec?.restartPolicy),
      'spec.schedulerName': (o) => str(o.spec?.schedulerName),
      'spec.serviceAccountName': (o) => str(o.spec?.serviceAccountName),
      'spec.hostNetwork': (o) => bool(o.spec?.hostNetwork),
      'status.phase': (o) => str(o.status?.phase),
      'status.podIP': (o) => str(o.status?.podIPs?.[0]?.ip ?? o.status?.podIP),
      'status.podIPs': () => '',
      'status.nominatedNodeName': (o) => str(o.status?.nominatedNodeName),
    },
    aliases: { 'spec.host': 'spec.nodeName' },
    refuse: notSupported,
  },
  nodes: {
    getters: { ...NAME, 'spec.unschedulable': (o) => bool(o.spec?.unschedulable) },
    refuse: notSupported,
  },
  namespaces: {
    getters: { ...NAME, 'status.phase': (o) => str(o.status?.phase) },
    refuse: notSupported,
  },
  events: {
    getters: {
      ...NAME_AND_NAMESPACE,
      'involvedObject.kind': (o) => str(field(o, 'involvedObject')?.kind),
      'involvedObject.namespace': (o) => str(field(o, 'involvedObject')?.namespace),
      'involvedObject.name': (o) => str(field(o, 'involvedObject')?.name),
      'involvedObject.uid': (o) => str(field(o, 'involvedObject')?.uid),
      'involvedObject.apiVersion': (o) => str(field(o, 'involvedObject')?.apiVersion),
      'involvedObject.resourceVersion': (o) => str(field(o, 'involvedObject')?.resourceVersion),
      'involvedObject.fieldPath': (o) => str(field(o, 'involvedObject')?.fieldPath),
      reason: (o) => str(field(o, 'reason')),
      reportingComponent: (o) => str(field(o, 'reportingComponent')),
      source: (o) => str(field(o, 'source')?.component),
      type: (o) => str(field(o, 'type')),
    },
    refuse: notSupported,
  },
};

const rulesFor = (resource: string): FieldRules => BY_RESOURCE[resource] ?? DEFAULT_RULES;

/** The field names a resource supports in field selectors. */
export function supportedFields(resource: string): string[] {
  const r = rulesFor(resource);
  return [...Object.keys(r.getters), ...Object.keys(r.aliases ?? {})];
}

/** Splits on commas that are not escaped by a backslash. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + (s[i + 1] as string);
      i++;
    } else if (c === ',') {
      terms.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  terms.push(cur);
  return terms;
}

function unescape(v: string, whole: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i] as string;
    if (c === '\\') {
      const n = v[i + 1];
      if (n !== '\\' && n !== ',' && n !== '=') {
        throw badRequest(`invalid field selector: '${whole}': invalid escape sequence`);
      }
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: '${whole}': unescaped ${c} in value`);
    } else {
      out += c;
    }
  }
  return out;
}

/** Finds the first operator that is not escaped; tries `!=`, then `==`, then `=`. */
function findOp(term: string): { at: number; op: '!=' | '==' | '=' } | undefined {
  for (const op of ['!=', '==', '='] as const) {
    for (let i = 0; i < term.length; i++) {
      if (term[i] === '\\') {
        i++;
        continue;
      }
      if (term.startsWith(op, i)) return { at: i, op };
    }
  }
  return undefined;
}

/**
 * Parses a field selector for a resource (plural). '' selects everything. Malformed terms and
 * unsupported fields throw a 400 BadRequest StatusError.
 */
export function parseFieldSelector(selector: string | undefined, resource: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  const getters: Getter[] = [];
  if (selector !== undefined && selector.trim() !== '') {
    for (const raw of splitTerms(selector)) {
      const term = raw.trim();
      const found = findOp(term);
      if (found === undefined) {
        throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
      }
      const label = term.slice(0, found.at).trim();
      const value = unescape(term.slice(found.at + found.op.length), selector);
      const rules = rulesFor(resource);
      const f = rules.aliases?.[label] ?? label;
      const g = rules.getters[f];
      if (g === undefined) throw badRequest(rules.refuse(label));
      reqs.push(Object.freeze({ field: f, op: found.op === '!=' ? '!=' : '=', value }));
      getters.push(g);
    }
  }
  const frozen = Object.freeze(reqs);
  return Object.freeze({
    requirements: frozen,
    empty: frozen.length === 0,
    matches(obj: KObject): boolean {
      for (let i = 0; i < frozen.length; i++) {
        const r = frozen[i] as FieldRequirement;
        const v = (getters[i] as Getter)(obj);
        if (r.op === '=' ? v !== r.value : v === r.value) return false;
      }
      return true;
    },
    exact(f: string): string | undefined {
      return frozen.find((r) => r.field === f && r.op === '=')?.value;
    },
  });
}
