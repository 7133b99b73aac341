// `version`: this tool's version from package.json and, when a kubeconfig reaches a server within a short
// timeout, the server's gitVersion. An unreachable server is reported, not fatal.
// May import: core, adapters/k8s (kubeconfig), @kubernetes/client-node, node built-ins.

import { readFile } from 'node:fs/promises';
import { ServerConfiguration, VersionApi, createConfiguration } from '@kubernetes/client-node';
import type { ArgvLike } from '../argv-read.js';
import { duration, flag, optionalString } from '../argv-read.js';
import type { CommandContext } from '../context.js';
import { loadKubeConfig } from '../../adapters/k8s/kubeconfig.js';
import { formatError } from '../../core/errors.js';

export async function clientVersion(): Promise<string> {
  const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8');
  const pkg = JSON.parse(text) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** The server's gitVersion, or an error message. Never waits longer than timeoutMs. */
export async function serverVersion(
  opts: { kubeconfig?: string; context?: string; env: Readonly<Record<string, string | undefined>> },
  timeoutMs: number,
): Promise<{ ok: true; version: string } | { ok: false; error: string }> {
  try {
    const kc = loadKubeConfig({
      ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
      ...(opts.context ? { context: opts.context } : {}),
      env: opts.env,
    });
    const cluster = kc.getCurrentCluster();
    if (!cluster) return { ok: false, error: 'no cluster in the current context' };
    const config = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kc },
      promiseMiddleware: [
        {
          pre: async (ctx) => {
            ctx.setSignal(AbortSignal.timeout(timeoutMs));
            return ctx;
          },
          post: async (res) => res,
        },
      ],
    });
    const info = await new VersionApi(config).getCode();
    return { ok: true, version: info.gitVersion };
  } catch (err) {
    const timedOut = err instanceof Error && /abort|timeout/i.test(`${err.name} ${err.message}`);
    return {
      ok: false,
      error: timedOut ? `no answer within ${timeoutMs} ms` : (formatError(err).split('\n')[0] ?? ''),
    };
  }
}

export async function versionAction(argv: ArgvLike, ctx: CommandContext): Promise<number> {
  const client = await clientVersion();
  const onlyClient = flag(argv, 'client', false);
  const timeoutMs = Math.min(duration(argv, 'request-timeout', '5s', { allowZero: true }) || 5000, 5000);
  const kubeconfig = optionalString(argv, 'kubeconfig');
  const context = optionalString(argv, 'context');
  const server = onlyClient
    ? undefined
    : await serverVersion(
        { ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}), env: ctx.io.env },
        timeoutMs,
      );
  if (optionalString(argv, 'output') === 'json') {
    const doc = { clientVersion: client, ...(server?.ok ? { serverVersion: server.version } : {}) };
    ctx.io.out.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    ctx.io.out.write(`Client Version: ${client}\n`);
    if (server?.ok) ctx.io.out.write(`Server Version: ${server.version}\n`);
  }
  if (server && !server.ok) ctx.io.err.write(`Server Version: unknown (${server.error})\n`);
  return 0;
}
