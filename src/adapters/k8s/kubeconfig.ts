// Loads the Kubernetes client configuration the way kubectl does: --kubeconfig, else KUBECONFIG (a merged
// list), else ~/.kube/config, else the in-cluster service account. Every failure is an InputError naming the
// file and the fix. TLS verification is left exactly as the kubeconfig asks; this code never turns it off.
// May import: core, @kubernetes/client-node and node built-ins.

import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { InputError } from '../../core/errors.js';

export interface LoadKubeConfigOptions {
  /** --kubeconfig: one file, used alone. */
  readonly kubeconfig?: string;
  /** --context: which context to use instead of current-context. */
  readonly context?: string;
  /** Environment to read KUBECONFIG, HOME and KUBERNETES_SERVICE_* from; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the service account files live; defaults to the standard mount. */
  readonly serviceAccountDir?: string;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const KUBECONFIG_FIX =
  'pass --kubeconfig PATH, set KUBECONFIG, or fix the file (`kubectl config view` shows what is read)';

function exists(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function describeError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

/** Reads and parses one kubeconfig file; any problem is an InputError naming the file. */
function loadFile(file: string): KubeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read kubeconfig ${file}: ${describeError(err)}`, KUBECONFIG_FIX);
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (err) {
    throw new InputError(`kubeconfig ${file} is not valid: ${describeError(err)}`, KUBECONFIG_FIX);
  }
  if (kc.getContexts().length === 0 && kc.getClusters().length === 0) {
    throw new InputError(`kubeconfig ${file} has no clusters or contexts`, KUBECONFIG_FIX);
  }
  kc.makePathsAbsolute(join(file, '..'));
  return kc;
}

/** Merges files kubectl's way: the first file that defines a name (or current-context) wins. */
function mergeFiles(files: readonly string[]): KubeConfig {
  const clusters: Cluster[] = [];
  const users: User[] = [];
  const contexts: Context[] = [];
  let currentContext = '';
  for (const file of files) {
    const kc = loadFile(file);
    for (const c of kc.getClusters()) if (!clusters.some((x) => x.name === c.name)) clusters.push(c);
    for (const u of kc.getUsers()) if (!users.some((x) => x.name === u.name)) users.push(u);
    for (const c of kc.getContexts()) if (!contexts.some((x) => x.name === c.name)) contexts.push(c);
    if (!currentContext && kc.getCurrentContext()) currentContext = kc.getCurrentContext();
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters, users, contexts, currentContext });
  return merged;
}

function inCluster(env: Readonly<Record<string, string | undefined>>, dir: string): KubeConfig | undefined {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'] ?? '443';
  const tokenFile = join(dir, 'token');
  if (!host || !exists(tokenFile)) return undefined;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const namespaceFile = join(dir, 'namespace');
  const namespace = exists(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'in-cluster', server, caFile: join(dir, 'ca.crt'), skipTLSVerify: false }],
    users: [{ name: 'in-cluster', authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [
      { name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster', ...(namespace ? { namespace } : {}) },
    ],
    currentContext: 'in-cluster',
  });
  return kc;
}

function sources(opts: LoadKubeConfigOptions): { kc: KubeConfig; origin: string } {
  const env = opts.env ?? process.env;
  if (opts.kubeconfig) {
    if (!exists(opts.kubeconfig)) {
      throw new InputError(`kubeconfig ${opts.kubeconfig} does not exist or is not readable`, KUBECONFIG_FIX);
    }
    return { kc: loadFile(opts.kubeconfig), origin: opts.kubeconfig };
  }
  const list = env['KUBECONFIG'];
  if (list) {
    const files = list.split(delimiter).filter((f) => f.length > 0);
    const present = files.filter(exists);
    if (present.length === 0) {
      throw new InputError(`none of the files in KUBECONFIG exist: ${files.join(', ')}`, KUBECONFIG_FIX);
    }
    return { kc: mergeFiles(present), origin: `KUBECONFIG (${present.join(delimiter)})` };
  }
  const home = env['HOME'] ?? env['USERPROFILE'];
  if (home) {
    const file = join(home, '.kube', 'config');
    if (exists(file)) return { kc: loadFile(file), origin: file };
  }
  const pod = inCluster(env, opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  if (pod) return { kc: pod, origin: 'the in-cluster service account' };
  throw new InputError(
    'no Kubernetes configuration found: no --kubeconfig, no KUBECONFIG, no ~/.kube/config, and not running in a pod',
    KUBECONFIG_FIX,
  );
}

function checkFile(path: string | undefined, what: string, origin: string): void {
  if (path && !exists(path)) {
    throw new InputError(
      `${what} ${path} named in ${origin} does not exist or is not readable`,
      KUBECONFIG_FIX,
    );
  }
}

/** Loads and validates the configuration; the returned KubeConfig has a usable current context. */
export function loadKubeConfig(opts: LoadKubeConfigOptions = {}): KubeConfig {
  const { kc, origin } = sources(opts);
  const names = kc.getContexts().map((c) => c.name);
  const wanted = opts.context ?? kc.getCurrentContext();
  if (!wanted) {
    throw new InputError(
      `${origin} has no current-context`,
      `pass --context NAME (available: ${names.join(', ') || 'none'}) or run \`kubectl config use-context NAME\``,
    );
  }
  const context = kc.getContextObject(wanted);
  if (!context) {
    throw new InputError(
      `context "${wanted}" not found in ${origin}`,
      `available contexts: ${names.join(', ') || 'none'}; pass one of them with --context`,
    );
  }
  kc.setCurrentContext(wanted);
  const cluster = kc.getCluster(context.cluster);
  if (!cluster) {
    throw new InputError(
      `context "${wanted}" in ${origin} names cluster "${context.cluster}", which is not defined`,
      KUBECONFIG_FIX,
    );
  }
  if (!context.user || !kc.getUser(context.user)) {
    throw new InputError(
      `context "${wanted}" in ${origin} names user "${context.user ?? ''}", which is not defined`,
      KUBECONFIG_FIX,
    );
  }
  checkFile(cluster.caFile, 'certificate-authority', origin);
  const user = kc.getUser(context.user);
  checkFile(user?.certFile, 'client-certificate', origin);
  checkFile(user?.keyFile, 'client-key', origin);
  return kc;
}

/** The namespace of the current context, if it sets one. */
export function contextNamespace(kc: KubeConfig): string | undefined {
  return kc.getContextObject(kc.getCurrentContext())?.namespace || undefined;
}
