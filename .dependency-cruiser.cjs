/**
 * The walls of the house (issue 8 item 6), checked by dependency-cruiser:
 *   npm run boundaries            (also a small-tier test: test/ops/boundaries.spec.ts)
 * Test files count too: a spec is code that imports.
 */
module.exports = {
  forbidden: [
    {
      name: 'app-imports-other-app',
      comment: 'An app talks to another app over HTTP or the bus, never by importing its code (docs/internals.md).',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-imports-app-or-scripts',
      comment: 'Libraries sit below the apps and the scripts: the arrow points from apps/ and scripts/ into libs/.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(apps|scripts)/' },
    },
    {
      name: 'domain-not-pure',
      comment: 'libs/domain holds the pure rules: it imports node built-ins and itself, nothing else.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { pathNot: '^libs/domain/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'no-circular',
      comment: 'A file reaches itself through its imports: split the shared part out, or invert the dependency.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve would slip past the rules above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.data|coverage)/' },
    // Type-only imports are imports too (a pure domain does not lean on a framework's types).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json', '.d.ts'],
      // a types-only package (e.g. @apollo/utils.fetcher) has an empty `main`
      mainFields: ['main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
