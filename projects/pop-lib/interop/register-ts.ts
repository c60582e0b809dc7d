/**
 * `node --import ./register-ts.ts`: lets Node run pop-lib's own TypeScript sources for the
 * interop tests. Extensionless relative imports (as the Angular build writes them) resolve to
 * `.ts` files, which TypeScript compiles, since the sources use syntax Node's type stripping
 * does not accept (parameter properties, imports of types without `type`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  isolatedModules: true,
  experimentalDecorators: true,
};

function isOwnTypeScript(url: string): boolean {
  return url.startsWith('file:') && url.endsWith('.ts') && !url.includes('/node_modules/');
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (relative && context.parentURL && isOwnTypeScript(context.parentURL) && !/\.[cm]?[jt]s$/.test(specifier)) {
      for (const candidate of [`${specifier}.ts`, `${specifier}/index.ts`]) {
        const url = new URL(candidate, context.parentURL);
        if (existsSync(url)) return nextResolve(url.href, context);
      }
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (!isOwnTypeScript(url)) return nextLoad(url, context);
    const fileName = fileURLToPath(url);
    const { outputText } = ts.transpileModule(readFileSync(fileName, 'utf8'), { fileName, compilerOptions: COMPILER_OPTIONS });
    return { format: 'module', source: outputText, shortCircuit: true };
  },
});
