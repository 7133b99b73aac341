// Every schema the simulator publishes, by definition name, and the look-ups from a served resource (or
// subresource) to its kind's definition.
// May import: ./model.js, ./defs-*.js, ../resources.js, ../types.js.
import type { ResourceType } from '../types.js';
import type { SubresourceType } from '../resources.js';
import { definitionName, type Definitions, type GroupVersionKind, type Schema } from './model.js';
import { META, META_DEFINITIONS } from './defs-meta.js';
import { POD_DEFINITIONS } from './defs-pod.js';
import { CORE_DEFINITIONS } from './defs-core.js';
import { APPS_DEFINITIONS } from './defs-apps.js';
import { CONTAINER_DEFINITIONS } from './defs-container.js';
import { RBAC_DEFINITIONS } from './defs-rbac.js';

export const PATCH_DEFINITION = `${META}.Patch`;

function listDefinition(item: string, gvk: GroupVersionKind): Schema {
  return {
    type: 'object',
    description: `A list of ${gvk.kind} objects.`,
    gvk: [{ ...gvk, kind: `${gvk.kind}List` }],
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion of this representation.' },
      kind: { type: 'string', description: 'Kind of this representation.' },
      metadata: { ref: `${META}.ListMeta`, description: 'Standard list metadata.' },
      items: { type: 'array', description: `The ${gvk.kind} objects.`, items: { ref: item } },
    },
  };
}

const BASE: Definitions = {
  ...META_DEFINITIONS,
  [PATCH_DEFINITION]: {
    type: 'object',
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  },
  ...POD_DEFINITIONS,
  ...CONTAINER_DEFINITIONS,
  ...CORE_DEFINITIONS,
  ...APPS_DEFINITIONS,
  ...RBAC_DEFINITIONS,
};

export function gvkOf(t: ResourceType | SubresourceType): GroupVersionKind {
  return { group: t.group, version: t.version, kind: t.kind };
}

/** The definitions, with a list definition for each served kind. Throws if a served kind has no schema. */
export function allDefinitions(types: readonly ResourceType[]): Definitions {
  const defs: Record<string, Schema> = { ...BASE };
  for (const t of types) {
    const name = definitionName(gvkOf(t));
    if (defs[name] === undefined) throw new Error(`no schema for served kind ${t.kind}`);
    defs[`${name}List`] = listDefinition(name, gvkOf(t));
  }
  return defs;
}

/** The definitions a schema refers to, transitively, including `name` itself. */
export function reachable(defs: Definitions, names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (s: Schema | undefined): void => {
    if (s === undefined) return;
    if (s.ref !== undefined && !seen.has(s.ref)) {
      seen.add(s.ref);
      visit(defs[s.ref]);
    }
    for (const p of Object.values(s.properties ?? {})) visit(p);
    visit(s.items);
    visit(s.additionalProperties);
  };
  for (const n of names) visit({ ref: n });
  return seen;
}
