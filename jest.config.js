// Three tiers (STYLE.md): small = *.spec.ts beside the code (no I/O),
// medium = *.medium-spec.ts (real PostgreSQL + Redis, one database and Redis prefix per file),
// e2e = test/**/*.e2e-spec.ts (the whole stack through the gateway, apps as child processes).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const moduleNameMapper = {
  '^@homeward/(domain|platform|bus|devstack|testing)$': '<rootDir>/libs/$1/src',
  '^@homeward/(domain|platform|bus|devstack|testing)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const base = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
};
module.exports = {
  // A worker that has grown past 1 GB after a test file is replaced by a fresh one: in a clean-clone CI
  // run a medium worker at ~3 GB RSS after 58 files stalled on its last file (that file passes alone).
  workerIdleMemoryLimit: '1GB',
  projects: [
    { ...base, displayName: 'small', testMatch: ['<rootDir>/{apps,libs,scripts,test}/**/*.spec.ts'] },
    { ...base, displayName: 'medium', testMatch: ['<rootDir>/{apps,libs,scripts,test}/**/*.medium-spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
