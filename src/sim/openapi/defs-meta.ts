// Schemas of the meta/v1 types every object carries: ObjectMeta, owner references, label selectors,
// list metadata, DeleteOptions and Status.
// May import: ./model.js.
import {
  INT_OR_STRING,
  bool,
  int,
  list,
  obj,
  open,
  ref,
  str,
  stringMap,
  strings,
  time,
  type Definitions,
} from './model.js';

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const META_DEFINITIONS: Definitions = {
  [INT_OR_STRING]: {
    type: 'string',
    format: 'int-or-string',
    intOrString: true,
    description: 'A number or a string, such as a port number or name, or a count or a percentage ("10%").',
  },
  [`${META}.ObjectMeta`]: obj(
    'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    {
      name: str('Name must be unique within a namespace. Cannot be updated.'),
      generateName: str('An optional prefix, used by the server to generate a unique name.'),
      namespace: str('The namespace the object lives in; empty for cluster-scoped objects.'),
      uid: str('The unique, server-set id of this object in time and space.'),
      resourceVersion: str(
        'An opaque value that represents the internal version of this object, for optimistic concurrency.',
      ),
      generation: int('A sequence number representing a specific generation of the desired state.', 'int64'),
      creationTimestamp: time('When this object was created, set by the server.'),
      deletionTimestamp: time(
        'When this object will be deleted; set by the server when deletion is requested.',
      ),
      deletionGracePeriodSeconds: int('Seconds allowed for this object to terminate gracefully.', 'int64'),
      labels: stringMap(
        'Map of string keys and values used to organize and categorize (scope and select) objects.',
      ),
      annotations: stringMap('Unstructured key value map stored with a resource for arbitrary metadata.'),
      ownerReferences: list(
        'Objects this object depends on; it is garbage collected when all of them are gone.',
        ref(`${META}.OwnerReference`, ''),
        'uid',
      ),
      finalizers: {
        ...strings('Must be empty before the object is deleted from the registry.'),
        listType: 'set',
      },
      managedFields: list('Which field managers own which fields.', open('A field manager entry.')),
    },
  ),
  [`${META}.OwnerReference`]: obj(
    'OwnerReference contains enough information to let you identify an owning object.',
    {
      apiVersion: str('API version of the referent.'),
      kind: str('Kind of the referent.'),
      name: str('Name of the referent.'),
      uid: str('UID of the referent.'),
      controller: bool('If true, this reference points to the managing controller.'),
      blockOwnerDeletion: bool(
        'If true, the owner cannot be deleted from the key-value store until this reference is removed.',
      ),
    },
    ['apiVersion', 'kind', 'name', 'uid'],
  ),
  [`${META}.LabelSelector`]: obj(
    'A label selector: the requirements of matchLabels and matchExpressions are ANDed.',
    {
      matchLabels: stringMap(
        'A map of {key,value} pairs, each equivalent to an In requirement with one value.',
      ),
      matchExpressions: list(
        'A list of label selector requirements. The requirements are ANDed.',
        ref(`${META}.LabelSelectorRequirement`, ''),
      ),
    },
  ),
  [`${META}.LabelSelectorRequirement`]: obj(
    'A selector that contains values, a key, and an operator that relates the key and values.',
    {
      key: str('The label key that the selector applies to.'),
      operator: str("The key's relationship to a set of values: In, NotIn, Exists and DoesNotExist."),
      values: strings('An array of string values; empty for Exists and DoesNotExist.'),
    },
    ['key', 'operator'],
  ),
  [`${META}.ListMeta`]: obj('Metadata that synthetic resources (lists) must have.', {
    resourceVersion: str('The version of the list, to watch from.'),
    continue: str('Set when more items can be fetched with this token.'),
    remainingItemCount: int('How many items remain after this page.', 'int64'),
  }),
  [`${META}.DeleteOptions`]: obj('DeleteOptions may be provided when deleting an API object.', {
    apiVersion: str('APIVersion of this representation.'),
    kind: str('Kind of this representation.'),
    gracePeriodSeconds: int('The duration in seconds before the object should be deleted.', 'int64'),
    preconditions: open('Must be fulfilled before a deletion is carried out (uid, resourceVersion).'),
    propagationPolicy: str(
      'Whether and how garbage collection will be performed: Orphan, Background or Foreground.',
    ),
    dryRun: strings('When present, modifications are not persisted.'),
  }),
  [`${META}.Status`]: obj('Status is a return value for calls that do not return other objects.', {
    apiVersion: str('APIVersion of this representation.'),
    kind: str('Kind of this representation.'),
    status: str('Status of the operation: Success or Failure.'),
    message: str('A human-readable description of the status of this operation.'),
    reason: str('A machine-readable description of why this operation is in the Failure status.'),
    code: int('Suggested HTTP return code for this status.'),
    details: open('Extended data associated with the reason.'),
  }),
};
