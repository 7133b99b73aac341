// The kubeconfig that points kubectl and client libraries at the simulator: HTTPS, its CA, a bearer token.
// May import: yaml and node built-ins only.
import { writeFile, chmod } from 'node:fs/promises';
import { stringify } from 'yaml';

export const SIM_CONTEXT = 'reboot-daemon-sim';

export interface KubeconfigInput {
  /** The server URL, e.g. https://127.0.0.1:6443. */
  readonly server: string;
  /** PEM of the CA that signed the server certificate. */
  readonly caCert: string;
  /** The bearer token the server expects. */
  readonly token: string;
  /** Name of the cluster, user and context. Defaults to reboot-daemon-sim. */
  readonly name?: string;
  /** Namespace of the context, if any. */
  readonly namespace?: string;
}

/** Builds kubeconfig YAML with one cluster, one token user and one context, which is current. */
export function buildKubeconfig(input: KubeconfigInput): string {
  const name = input.name ?? SIM_CONTEXT;
  const context: Record<string, string> = { cluster: name, user: name };
  if (input.namespace) context['namespace'] = input.namespace;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: input.server,
          'certificate-authority-data': Buffer.from(input.caCert, 'utf8').toString('base64'),
        },
      },
    ],
    users: [{ name, user: { token: input.token } }],
    contexts: [{ name, context }],
    'current-context': name,
    preferences: {},
  };
  return stringify(doc);
}

/** Writes a kubeconfig readable by its owner only (mode 0600), as kubectl expects of credentials. */
export async function writeKubeconfig(path: string, yamlText: string): Promise<void> {
  await writeFile(path, yamlText, { mode: 0o600 });
  await chmod(path, 0o600);
}
