// Makes sure the tool's namespace exists, labelled for privileged pods when we create it.
// A 403 on create is fine when the namespace already exists (an admin made it).
// May import: core and sibling k8s adapter files.

import { PermissionError } from '../../core/errors.js';
import type { K8sClients } from './client.js';
import { apiCode, apiMessage } from './api-errors.js';

export const DEFAULT_NAMESPACE = 'reboot-daemon';
export const POD_SECURITY_LABEL = 'pod-security.kubernetes.io/enforce';

/** Creates the namespace when missing. Resolves when it exists (or cannot be checked but may exist). */
export async function ensureNamespace(clients: K8sClients, name: string): Promise<void> {
  try {
    await clients.core.createNamespace({
      body: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name,
          labels: { [POD_SECURITY_LABEL]: 'privileged', 'app.kubernetes.io/managed-by': 'reboot-daemon' },
        },
      },
    });
    return;
  } catch (err) {
    const code = apiCode(err);
    if (code === 409) return;
    if (code !== 403) throw err;
    const createError = apiMessage(err);
    try {
      await clients.core.readNamespace({ name });
      return;
    } catch (readErr) {
      const readCode = apiCode(readErr);
      // Not allowed to read it either: assume it exists; creating pods there will say otherwise.
      if (readCode === 403) return;
      if (readCode === 404)
        throw new PermissionError('create', 'namespaces', `namespace ${name} is missing: ${createError}`);
      throw readErr;
    }
  }
}

/** Namespaces ensured (or being ensured) in this process, by API server and name. */
const ensured = new Map<string, Promise<void>>();

/**
 * ensureNamespace once per process for each (API server, namespace), however many adapters ask: the check
 * pods, the reboot pods and the Lease share one request. A failure is forgotten so the next call tries again.
 */
export function ensureNamespaceOnce(clients: K8sClients, namespace: string): Promise<void> {
  const key = `${clients.kc.getCurrentCluster()?.server ?? ''} ${namespace}`;
  let pending = ensured.get(key);
  if (pending === undefined) {
    pending = ensureNamespace(clients, namespace).catch((err: unknown) => {
      ensured.delete(key);
      throw err;
    });
    ensured.set(key, pending);
  }
  return pending;
}
