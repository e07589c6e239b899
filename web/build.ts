import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

/**
 * Builds the console: esbuild (the same bundler as the Lambdas) bundles `src/main.tsx` into ES
 * modules split per page (each route's page is a dynamic import, its own chunk), minified, with
 * content-hashed names so CloudFront can cache them for a year; `index.html` names the entry and
 * its stylesheet, and is the one file never cached. The metafile tells the benchmark what each
 * page's first load costs.
 */

export const WEB_ROOT = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUTDIR = join(WEB_ROOT, 'dist');

export interface ConsoleBuild {
  outdir: string;
  metafile: Metafile;
  /** The entry script and stylesheet, relative to `outdir`. */
  entry: { js: string; css?: string };
}

export const buildConsole = async (outdir = DEFAULT_OUTDIR): Promise<ConsoleBuild> => {
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: [join(WEB_ROOT, 'src/main.tsx')],
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['chrome120', 'firefox120', 'safari17'],
    minify: true,
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: join(outdir, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entryJs = outputs.find(([, output]) => output.entryPoint?.endsWith('src/main.tsx'))?.[0];
  if (!entryJs) throw new Error('The console build produced no entry script.');
  const css = outputs.find(([file]) => file.endsWith('.css'))?.[0];
  const rel = (file: string) => relative(outdir, resolve(file)).split('\\').join('/');
  const template = await readFile(join(WEB_ROOT, 'index.html'), 'utf8');
  const html = template
    .replace('<!--styles-->', css ? `<link rel="stylesheet" href="/${rel(css)}" />` : '')
    .replace('<!--scripts-->', `<script type="module" src="/${rel(entryJs)}"></script>`);
  await writeFile(join(outdir, 'index.html'), html);
  await writeFile(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  return { outdir, metafile: result.metafile, entry: { js: rel(entryJs), css: css ? rel(css) : undefined } };
};

/**
 * The JavaScript a page's first load fetches: the entry and its static imports, then the page's
 * chunk and its static imports — gzip-compressed sizes, as served. `page` is the page module's
 * path relative to `web/src` (e.g. `pages/desk/queue.tsx`).
 */
export const initialJavaScript = async (
  built: ConsoleBuild,
  page: string,
): Promise<{ gzipByFile: Map<string, number>; gzipBytes: number; bytes: number }> => {
  const outputs = built.metafile.outputs;
  const keyOf = (file: string) =>
    Object.keys(outputs).find((key) => resolve(key) === resolve(built.outdir, file));
  const pageKey = Object.keys(outputs).find((key) => outputs[key]?.entryPoint?.endsWith(`src/${page}`));
  if (!pageKey) throw new Error(`No chunk for ${page} in the console build.`);
  const seen = new Set<string>();
  const visit = (key: string | undefined) => {
    if (!key || seen.has(key)) return;
    seen.add(key);
    for (const imported of outputs[key]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(keyOf(built.entry.js));
  visit(pageKey);
  const gzipByFile = new Map<string, number>();
  let bytes = 0;
  for (const key of seen) {
    const content = await readFile(key);
    bytes += content.length;
    gzipByFile.set(basename(key), gzipSync(content, { level: 9 }).length);
  }
  const gzipBytes = [...gzipByFile.values()].reduce((sum, size) => sum + size, 0);
  return { gzipByFile, gzipBytes, bytes };
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildConsole(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_OUTDIR);
  console.log(`Console built in ${built.outdir} (entry ${built.entry.js})`);
}
