/**
 * Boundaries the compiler does not check (run by `npm run lint`). The domain's own framework ban lives in
 * eslint.config.mjs (no-restricted-imports); these rules need the whole import graph.
 */
module.exports = {
  forbidden: [
    {
      name: 'application-imports-api',
      comment: 'Use cases are called by controllers, consumers and loops alike: they must not depend on the HTTP edge (DTOs, controllers).',
      severity: 'error',
      from: { path: '^src/modules/[^/]+/application/' },
      to: { path: '^src/modules/[^/]+/api/' },
    },
    {
      name: 'infrastructure-imports-modules',
      comment: 'Adapters implement domain ports; they must not reach into feature modules.',
      severity: 'error',
      from: { path: '^src/infrastructure/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'domain-cycle',
      comment: 'The domain is a tree of plain modules: no import cycles, type-only ones included.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/domain/', circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle of types is still a cycle for a reader.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
