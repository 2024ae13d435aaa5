import type { Plugin } from 'vite';

/**
 * Build-time edits that keep code generation and raw HTML out of the extension's bundles, so the stores'
 * reviewers (and Mozilla's addons-linter, which AMO runs on every upload) find neither:
 *
 * - zod compiles fast object parsers with the Function constructor when it may, after probing for it
 *   (`allowsEval` in v4/core/util.js; `Doc.compile` and `compile.js` build the code). The extension runs zod
 *   jitless (`z.config({ jitless: true })` in the background, which skips the probe), and here every
 *   `Function` those files hold becomes a function that throws: the probe answers "no eval" and zod parses
 *   with its interpreter, as it does under a strict CSP.
 * - Preact sets `innerHTML` only for `dangerouslySetInnerHTML`, which the extension never uses: that
 *   assignment becomes a throw, so the prop cannot be used by mistake either.
 *
 * Each edit must apply: a dependency update that changes the code fails the build instead of shipping the
 * old pattern (the lint test in test/lint.test.ts checks the outcome).
 */
const NO_CODE_GENERATION =
  'function () { throw new EvalError("Series: code generation is disabled in the extension (zod runs jitless)"); }';
const NO_INNER_HTML =
  '(() => { throw new Error("Series: dangerouslySetInnerHTML is not supported in the extension"); })()';

interface Edit {
  /** The module's path inside node_modules. */
  file: RegExp;
  find: RegExp;
  replace: string;
}

const EDITS: Edit[] = [
  {
    file: /\/zod\/v4\/core\/(util|doc|compile)\.js$/,
    find: /const F = Function;/g,
    replace: `const F = ${NO_CODE_GENERATION};`,
  },
  {
    file: /\/preact\/dist\/preact\.(module\.js|mjs|js)$/,
    find: /\(([\w$]+)\.innerHTML=([\w$]+)\.__html\)/g,
    replace: NO_INNER_HTML,
  },
];

export function storeSafe(): Plugin {
  return {
    name: 'series:store-safe',
    enforce: 'pre',
    apply: 'build',
    transform(code, id) {
      const path = id.split('?')[0]!.replaceAll('\\', '/');
      if (!path.includes('/node_modules/')) return null;
      let out = code;
      for (const edit of EDITS) {
        if (!edit.file.test(path)) continue;
        const next = out.replace(edit.find, edit.replace);
        if (next === out)
          throw new Error(`series:store-safe: ${edit.find} not found in ${path} (did the package change?)`);
        out = next;
      }
      return out === code ? null : { code: out, map: null };
    },
  };
}
