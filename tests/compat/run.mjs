// SPDX-License-Identifier: GPL-3.0-or-later
// usage: node run.mjs CLIENT   (CLIENT: hapi | lncrawl | ambrosia | clique)
// Bundles drivers/CLIENT.jsx with the vendored client files (esbuild: TypeScript/JSX, the
// projects' "@/" import alias, their styles as empty modules, the few module shims in shims/)
// and runs it. The settings (base URL, mail folder, accounts) come in COMPAT_ENV as JSON.
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const client = process.argv[2];
const env = JSON.parse(process.env.COMPAT_ENV || '{}');

// Where each project's "@/" points (their tsconfig/jsconfig path alias).
const ROOTS = {
  'vendor/hapi/': join(HERE, 'vendor/hapi/web/src'),
  'vendor/lncrawl-web/': join(HERE, 'vendor/lncrawl-web/src'),
  'vendor/ambrosia/': join(HERE, 'vendor/ambrosia/client/src'),
};

const aliasPlugin = {
  name: 'project-alias',
  setup(build) {
    build.onResolve({ filter: /^@\// }, async (args) => {
      const rel = args.importer.slice(HERE.length + 1);
      const root = Object.entries(ROOTS).find(([prefix]) => rel.startsWith(prefix))?.[1];
      if (!root) return undefined;
      const r = await build.resolve('./' + args.path.slice(2), { resolveDir: root, kind: args.kind });
      return { path: r.path, errors: r.errors };
    });
    // Next.js modules the vendored Next routes and AuthProvider import: shimmed (shims/).
    build.onResolve({ filter: /^next\/(server|headers|navigation)$/ }, (args) => ({
      path: join(HERE, 'shims', `next-${args.path.split('/')[1]}.js`),
    }));
  },
};

const outdir = join(HERE, '.build');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, `${client}.mjs`);
await esbuild.build({
  entryPoints: [join(HERE, 'drivers', `${client}.jsx`)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  mainFields: ['browser', 'module', 'main'],
  conditions: ['browser'],
  external: ['jsdom', 'tough-cookie', 'esbuild'],
  loader: { '.scss': 'empty', '.css': 'empty' },
  define: { 'import.meta.env.VITE_API_BASE_URL': JSON.stringify(env.base || '') },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [aliasPlugin],
  logLevel: 'error',
});
// Ambrosia's Next app reads its backend's address from the environment (config/api.js).
process.env.NEXT_PUBLIC_API_URL = env.base || '';
await import(pathToFileURL(outfile).href);
