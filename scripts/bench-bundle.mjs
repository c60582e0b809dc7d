// What an app pays in bundle size for pop-lib. Builds dist/pop-lib, then a minimal consumer app
// (projects/pop-bench/bundle: a login form posting through HttpClient with an auth
// interceptor) in production mode in three variants: without pop-lib, with providePop +
// popInterceptor, and with secureField on the password too. The app imports `pop-lib` from
// dist/pop-lib, as users get it. Prints a `BENCH {json}` line with the initial JS of each
// (raw, gzip -9, brotli -q 11, each file compressed on its own as a server would send it) and
// the difference to the app without pop-lib, and the lazily loaded JS (the key set-up code);
// prints which modules the library adds, and why (the import chain of each jose module), on
// stderr, and warns when code meant to load lazily is in the initial JS; writes
// bench-results/bundle-analysis.json.
//
//   node scripts/bench-bundle.mjs                   build everything, then measure
//   node scripts/bench-bundle.mjs --no-build        measure the existing dist/pop-bundle
//   node scripts/bench-bundle.mjs --baseline=main   also the same variants with pop-lib as it is
//                                                   at that git ref (built beside this one)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { eachMapping, TraceMap } from '@jridgewell/trace-mapping';
import { baselineLibrary, baselineRef, build, buildLibrary } from './bench-baseline.mjs';

const VARIANTS = [
  { id: 'bare', name: 'without pop-lib' },
  { id: 'interceptor', name: 'providePop + popInterceptor' },
  { id: 'secure-field', name: 'providePop + popInterceptor + secureField' },
];
/** pop-lib as the app gets it: its entry points' FESM files and the chunks they share or load lazily. */
const POP_LIB = 'dist/pop-lib/';
const TOP = 25;
/** The targets, in kB (1000 bytes) of gzip added to the initial JS. */
const TARGET_KB = { interceptor: 14, 'secure-field': 16 };
/**
 * Code that must only be in the lazily loaded chunk (pop-lib's key-setup/key-setup.ts and what
 * it imports, and jose's JWE and key import): found in the initial JS, it is a regression.
 */
const LAZY_ONLY = [
  /projects\/pop-lib\/src\/lib\/keys\/(key-resolution|jwks-cache|encryption-key|jwks-document|key-bag|jku-policy)\.ts$/,
  /projects\/pop-lib\/src\/lib\/credentials\/(compact-encrypt|secret-jwe|secret-encryption|secret|secret-audience)\.ts$/,
  /projects\/pop-lib\/src\/lib\/client-jwt\/(hmac-key-creation|hmac-key-expiry)\.ts$/,
  /node_modules\/jose\/dist\/webapi\/(jwe\/|key\/import|lib\/(jwe_encrypt|key_management|content_encryption|jwe_algorithms|deflate|asn1))/,
];

const ref = baselineRef();
if (!process.argv.includes('--no-build')) {
  buildLibrary();
  for (const variant of VARIANTS) build(['pop-bench', '--configuration', `production,bundle-${variant.id}`]);
}
const baseline = ref && !process.argv.includes('--no-build') ? buildBaseline(ref) : undefined;

const measured = VARIANTS.map((variant) => ({ ...variant, ...measure(`dist/pop-bundle/${variant.id}`) }));
const [bare] = measured;
const baselineMeasured = (baseline?.variants ?? []).map((variant) => ({ ...variant, ...measure(variant.dir) }));
const row = (m) => ({
  name: m.name,
  files: m.files.map((f) => f.file),
  rawBytes: m.raw,
  gzipBytes: m.gzip,
  brotliBytes: m.brotli,
  addedRawBytes: m.raw - bare.raw,
  addedGzipBytes: m.gzip - bare.gzip,
  addedBrotliBytes: m.brotli - bare.brotli,
  ratioToBaseline: m.gzip / bare.gzip,
  lazyGzipBytes: m.lazyGzip,
});
const rows = [...measured, ...baselineMeasured].map(row);
const targets = measured.slice(1).map((m) => {
  const addedKB = (m.gzip - bare.gzip) / 1000;
  return { variant: m.name, addedGzipKB: Number(addedKB.toFixed(2)), targetKB: TARGET_KB[m.id], met: addedKB <= TARGET_KB[m.id] };
});
console.log(
  'BENCH ' +
    JSON.stringify({
      group: 'Initial JS of a minimal consumer app (production build, gzip)',
      unit: 'bytes',
      baseline: bare.name,
      rows,
      targets,
      ...(baseline ? { comparedWith: `pop-lib at ${baseline.label}` } : {}),
      command: `npm run bench:bundle${ref ? ` -- --baseline=${ref}` : ''}`,
    }),
);

const analysis = measured.slice(1).map((m) => analyse(m, bare));
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/bundle-analysis.json', JSON.stringify({ date: new Date().toISOString(), rows, analysis }, null, 2));
for (const a of analysis) printAnalysis(a);
console.error('\nwritten: bench-results/bundle-analysis.json');

/** The interceptor and secureField variants again, with pop-lib as it is at `ref`. */
function buildBaseline(ref) {
  const { label, tsConfig } = baselineLibrary(ref);
  const variants = VARIANTS.slice(1).map((variant) => {
    const dir = `dist/pop-bundle/${variant.id}-baseline`;
    build(['pop-bench', '--configuration', `production,bundle-${variant.id}`, '--ts-config', tsConfig, '--output-path', dir]);
    return { ...variant, name: `${variant.name} (pop-lib at ${label})`, dir, baseline: true };
  });
  return { label, variants };
}

/** The initial JS files (those index.html loads or preloads) with their sizes, the gzip size of the lazily loaded rest, and the build's metafile. */
function measure(dir) {
  const html = readFileSync(join(dir, 'browser/index.html'), 'utf8');
  const names = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1]);
  if (names.length === 0) throw new Error(`no initial script in ${dir}/browser/index.html`);
  const read = (file) => readFileSync(join(dir, 'browser', file));
  const gzipSize = (code) => gzipSync(code, { level: 9 }).length;
  const sizes = (file) => {
    const code = read(file);
    return { file, raw: code.length, gzip: gzipSize(code), brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
  };
  const files = [...new Set(names)].map(sizes);
  const sum = (list, key) => list.reduce((total, f) => total + f[key], 0);
  // Of the lazily loaded files only gzip is reported.
  const lazy = readdirSync(join(dir, 'browser')).filter((file) => file.endsWith('.js') && !names.includes(file));
  const lazyGzip = lazy.reduce((total, file) => total + gzipSize(read(file)), 0);
  const stats = JSON.parse(readFileSync(join(dir, 'browser-stats.json'), 'utf8'));
  return { dir, files, raw: sum(files, 'raw'), gzip: sum(files, 'gzip'), brotli: sum(files, 'brotli'), lazyGzip, stats };
}

/**
 * What `variant` adds over the app without pop-lib: minified bytes per module (esbuild's
 * metafile, so per npm module file; pop-lib's single bundle file split into its own source
 * files through the source maps), jose modules with the chain of imports that pulls each in,
 * and the jose functions each pop-lib source file imports.
 */
function analyse(variant, bare) {
  const modules = moduleBytes(variant);
  const bareModules = moduleBytes(bare);
  const added = [...modules]
    .map(([module, bytes]) => ({ module, bytes: bytes - (bareModules.get(module) ?? 0) }))
    .filter((m) => m.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  const total = added.reduce((sum, m) => sum + m.bytes, 0);
  const byPackage = new Map();
  for (const m of added) byPackage.set(packageOf(m.module), (byPackage.get(packageOf(m.module)) ?? 0) + m.bytes);
  return {
    variant: variant.name,
    addedGzipBytes: variant.gzip - bare.gzip,
    addedMinifiedBytes: total,
    byPackage: Object.fromEntries([...byPackage].sort((a, b) => b[1] - a[1])),
    top: added.slice(0, TOP),
    popLibSources: added.filter((m) => m.module.startsWith('projects/pop-lib/')),
    joseModules: joseChains(variant, added),
    lazyInInitial: added.filter((m) => LAZY_ONLY.some((pattern) => pattern.test(m.module))).map((m) => m.module),
    lazyGzipBytes: variant.lazyGzip,
    joseImports: joseImportsOf(variant, new Set(added.map((m) => m.module))),
  };
}

/** Minified bytes per input module of the initial files: metafile inputs, pop-lib split by source map. */
function moduleBytes(variant) {
  const bytes = new Map();
  const add = (module, n) => bytes.set(module, (bytes.get(module) ?? 0) + n);
  for (const { file } of variant.files) {
    const output = Object.entries(variant.stats.outputs).find(([path]) => path.endsWith(file))?.[1];
    if (!output) throw new Error(`${file} is not in the build's metafile`);
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) if (!input.startsWith(POP_LIB)) add(input, bytesInOutput);
    if (Object.keys(output.inputs).some((input) => input.startsWith(POP_LIB))) for (const [source, n] of popLibSourceBytes(variant, file)) add(source, n);
  }
  return bytes;
}

/** Generated characters of `file` that its source map attributes to each pop-lib source file. */
function popLibSourceBytes(variant, file) {
  const code = readFileSync(join(variant.dir, 'browser', file), 'utf8').split('\n');
  const map = new TraceMap(readFileSync(join(variant.dir, 'browser', `${file}.map`), 'utf8'));
  const segments = [];
  eachMapping(map, (m) => segments.push(m));
  segments.sort((a, b) => a.generatedLine - b.generatedLine || a.generatedColumn - b.generatedColumn);
  const bytes = new Map();
  segments.forEach((segment, i) => {
    const next = segments[i + 1];
    const end = next && next.generatedLine === segment.generatedLine ? next.generatedColumn : (code[segment.generatedLine - 1] ?? '').length;
    const source = segment.source?.replace(/^(\.\.\/)+/, '') ?? '';
    if (source.startsWith('projects/pop-lib/')) bytes.set(source, (bytes.get(source) ?? 0) + end - segment.generatedColumn);
  });
  return bytes;
}

/** For each jose module the variant adds: the chain of imports from pop-lib's files through modules that are in the initial JS. */
function joseChains(variant, added) {
  const inputs = variant.stats.inputs;
  const present = new Set(added.map((m) => m.module));
  const starts = Object.keys(inputs).filter((path) => path.startsWith(POP_LIB));
  const previous = new Map(starts.map((start) => [start, null]));
  const queue = [...starts];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const { path } of inputs[current]?.imports ?? []) {
      if (previous.has(path) || !(present.has(path) || path.startsWith(POP_LIB))) continue;
      previous.set(path, current);
      queue.push(path);
    }
  }
  const short = (path) => path.replace('node_modules/jose/dist/webapi/', 'jose/').replace('dist/pop-lib/fesm2022/', '');
  return added
    .filter((m) => m.module.startsWith('node_modules/jose/'))
    .map((m) => {
      const chain = [];
      for (let at = m.module; at; at = previous.get(at)) chain.unshift(short(at));
      return { module: short(m.module), bytes: m.bytes, chain: previous.has(m.module) ? chain.join(' → ') : '(not reached from pop-lib)' };
    });
}

/** The names (functions, classes, types) each pop-lib source file with code in the bundle imports from jose (read from the source map's sources). */
function joseImportsOf(variant, inBundle) {
  const imports = {};
  for (const { file } of variant.files) {
    const map = JSON.parse(readFileSync(join(variant.dir, 'browser', `${file}.map`), 'utf8'));
    map.sources.forEach((source, i) => {
      const name = source.replace(/^(\.\.\/)+/, '');
      if (!name.startsWith('projects/pop-lib/') || !inBundle.has(name)) return;
      for (const m of (map.sourcesContent?.[i] ?? '').matchAll(/import\s*(?:\{([^}]*)\}|\*\s*as\s+(\w+))\s*from\s*'(jose[^']*)'/g)) {
        const names = m[1] ? m[1].split(',').map((s) => s.trim()).filter((s) => s && !s.startsWith('type ')) : [`* as ${m[2]}`];
        if (names.length > 0 && !/^import\s+type/.test(m[0])) (imports[name] ??= []).push(`${names.join(', ')} (${m[3]})`);
      }
    });
  }
  return imports;
}

function packageOf(module) {
  if (module.startsWith('projects/pop-lib/')) return 'pop-lib';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
  return match ? match[1] : module.split('/').slice(0, 2).join('/');
}

function printAnalysis(a) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.error(`\n## ${a.variant}: +${kb(a.addedGzipBytes)} gzip, +${kb(a.addedMinifiedBytes)} minified; loaded lazily: ${kb(a.lazyGzipBytes)} gzip`);
  if (a.lazyInInitial.length > 0) console.error(`  WARNING: code meant to load lazily is in the initial JS: ${a.lazyInInitial.join(', ')}`);
  console.error(`  by package (minified): ${Object.entries(a.byPackage).map(([p, n]) => `${p} ${kb(n)}`).join(', ')}`);
  console.error('  top modules added (minified bytes):');
  for (const m of a.top) console.error(`    ${String(m.bytes).padStart(7)}  ${m.module}`);
  console.error('  jose modules, and the import chain that pulls each in:');
  for (const m of a.joseModules) console.error(`    ${String(m.bytes).padStart(7)}  ${m.chain}`);
  console.error('  jose functions imported by pop-lib source files in the bundle:');
  for (const [file, names] of Object.entries(a.joseImports)) console.error(`    ${file}: ${names.join(', ')}`);
}
