// Bundles the CLI into one CommonJS script for a Node 20 single executable (SEA): esbuild, node platform,
// cjs format. Node 20 runs an SEA's main script as CommonJS whose require() only reaches built-in modules,
// so everything else must be inside the bundle. What does not survive that move by itself:
//   - import.meta.url (yargs, yargs-parser): replaced by the executable's own file URL;
//   - this package's package.json, read at run time for the version: inlined (name and version only);
//   - yoga-layout, the layout engine of the ink live view, loads its WebAssembly with a top-level await:
//     swapped for the instance that the entry loads before the CLI starts on a terminal;
//   - ink's reconciler awaits its devtools and package.json at top level, but only when DEV=true:
//     those two branches are cut out;
//   - optional packages required inside try/catch (bufferutil, utf-8-validate, encoding): made absent.
// Each rewrite fails the build when it stops matching its target, and the finished bundle is checked for
// require() of anything but a built-in and for import() (which the V8 code cache cannot run), so a
// dependency upgrade cannot silently break the executable.
// May import: esbuild, node built-ins.
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const YOGA_SHIM = 'sea-yoga-shim';

/** Helpers placed ahead of the bundle; __filename is the executable's path inside an SEA. */
const BANNER = [
  'const __sea_import_meta_url = require("node:url").pathToFileURL(__filename).href;',
  'const __sea_import_meta_resolve = (s) => {',
  '  throw new Error(`import.meta.resolve(${JSON.stringify(s)}) is not available in the single executable`);',
  '};',
].join('\n');

/** Replaces `readFile(new URL('…/package.json', import.meta.url), 'utf8')` (or readFileSync) in src/. */
function inlinePackageJson(pkg) {
  const text = JSON.stringify(JSON.stringify({ name: pkg.name, version: pkg.version }));
  const call =
    /(readFile(?:Sync)?)\(\s*new URL\(\s*(['"])[./]*package\.json\2\s*,\s*import\.meta\.url\s*\)\s*,\s*(['"])utf-?8\3\s*\)/g;
  return {
    name: 'inline-package-json',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/].*\.tsx?$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('package.json')) return undefined;
        const contents = source.replace(call, (_m, fn) =>
          fn === 'readFileSync' ? text : `Promise.resolve(${text})`,
        );
        if (/package\.json['"]\s*,\s*import\.meta\.url/.test(contents)) {
          const where = relative(ROOT, args.path);
          return { errors: [{ text: `${where} reads package.json in a way the bundle cannot inline` }] };
        }
        return { contents, loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts' };
      });
    },
  };
}

/**
 * Points ink's `import Yoga from 'yoga-layout'` at a proxy that forwards to the instance the entry loaded
 * (through `sea-yoga-shim`'s setYoga). Ink is reached only by the render facade's dynamic import, so when no
 * instance was loaded the proxy module throws while that import is evaluated, and the facade falls back to
 * plain output.
 */
function yogaShim() {
  const state = [
    'let instance;',
    'export function setYoga(y) { instance = y; }',
    'export function getYoga() { return instance; }',
  ].join('\n');
  const proxy = [
    `import { getYoga } from '${YOGA_SHIM}';`,
    'const instance = getYoga();',
    "if (instance === undefined) throw new Error('the layout engine (yoga) is not loaded');",
    'export default instance;',
  ].join('\n');
  return {
    name: 'yoga-shim',
    setup(b) {
      b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga-proxy', namespace: 'sea' }));
      b.onResolve({ filter: new RegExp(`^${YOGA_SHIM}$`) }, () => ({ path: 'yoga-state', namespace: 'sea' }));
      b.onLoad({ filter: /^yoga-proxy$/, namespace: 'sea' }, () => ({ contents: proxy, loader: 'js' }));
      b.onLoad({ filter: /^yoga-state$/, namespace: 'sea' }, () => ({ contents: state, loader: 'js' }));
    },
  };
}

/**
 * Optional packages that their importers require inside try/catch (ws's native helpers, node-fetch's
 * `encoding`): they become modules that throw "not found", so the importer takes its fallback. Left as
 * require() calls, Node would warn at every start that an SEA can only require built-in modules.
 */
function absentOptionals(names) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[.+-]/g, '\\$&')).join('|')})$`);
  return {
    name: 'absent-optionals',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'absent' }));
      b.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({
        contents: [
          `const err = new Error(${JSON.stringify(`Cannot find module '${args.path}' (not in the single executable)`)});`,
          "err.code = 'MODULE_NOT_FOUND';",
          'throw err;',
        ].join('\n'),
        loader: 'js',
      }));
    },
  };
}

/** The require() calls left in a bundle that name something other than a Node built-in. */
export function foreignRequires(code) {
  const ids = new Set([...code.matchAll(/\brequire\((["'])([^"']+)\1\)/g)].map((m) => m[2]));
  return [...ids].filter((id) => !isBuiltin(id)).sort();
}

/** Cuts ink's DEV-only top-level awaits (devtools, its own package.json) out of the reconciler. */
function inkWithoutDevtools() {
  const devtools = /if \(isDev\(\)\) \{\s*try \{\s*await import\('\.\/devtools\.js'\);[\s\S]*?\n\}\n/;
  const pkgJson = /isDev\(\)\s*\?\s*await loadPackageJson\(\)\s*:/;
  return {
    name: 'ink-without-devtools',
    setup(b) {
      b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!devtools.test(source) || !pkgJson.test(source)) {
          return {
            errors: [{ text: `ink's reconciler changed shape; update ${relative(ROOT, args.path)} rewrite` }],
          };
        }
        const contents = source
          .replace(devtools, '// React devtools are not part of the single executable.\n')
          .replace(pkgJson, 'false ? undefined :');
        if (/\bawait\b/.test(contents.replace(/async function[\s\S]*?\n\}/g, ''))) {
          return { errors: [{ text: `ink's reconciler still has a top-level await after the rewrite` }] };
        }
        return { contents, loader: 'js' };
      });
    },
  };
}

/**
 * Writes the bundle to `outfile`. Returns esbuild's metafile (inputs and outputs) and its warnings.
 * `entry` is the SEA entry module; `pkg` is the parsed package.json.
 */
export async function bundle({ entry, outfile, pkg, minify = false }) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    tsconfig: join(ROOT, 'tsconfig.json'),
    banner: { js: BANNER },
    define: {
      'import.meta.url': '__sea_import_meta_url',
      'import.meta.resolve': '__sea_import_meta_resolve',
      'process.env.NODE_ENV': '"production"',
    },
    plugins: [
      inlinePackageJson(pkg),
      yogaShim(),
      inkWithoutDevtools(),
      absentOptionals(['bufferutil', 'utf-8-validate', 'encoding']),
    ],
  });
  const code = await readFile(outfile, 'utf8');
  const foreign = foreignRequires(code);
  if (foreign.length > 0) {
    throw new Error(
      `the bundle still requires ${foreign.join(', ')}; an SEA can only require built-in modules`,
    );
  }
  // esbuild turns import() of bundled modules into require(); one left over would fail at run time, because
  // the executable's main script is compiled from a V8 code cache, where import() does not work.
  const dynamic = code.split('\n').findIndex((line) => /(?<![\w$.])import\(/.test(line));
  if (dynamic >= 0) throw new Error(`the bundle calls import() (line ${dynamic + 1} of ${outfile})`);
  return { metafile: result.metafile, warnings: result.warnings };
}

/** A short, readable account of where the bundle's bytes come from (top packages). */
export function bundleSummary(metafile, top = 8) {
  const byPackage = new Map();
  for (const [path, info] of Object.entries(metafile.inputs)) {
    const parts = path.split(/[\\/]/);
    const nm = parts.lastIndexOf('node_modules');
    let name = 'src';
    if (nm >= 0) name = parts[nm + 1]?.startsWith('@') ? `${parts[nm + 1]}/${parts[nm + 2]}` : parts[nm + 1];
    else if (path.startsWith('sea:')) name = 'shims';
    byPackage.set(name, (byPackage.get(name) ?? 0) + info.bytes);
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`)
    .join(', ')
    .replaceAll(sep, '/');
}
