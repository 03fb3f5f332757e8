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
      from: {
        path: '^src/modules/[^/]+/application/',
        // Known exception, removed once the request rules move to src/domain/notification.
        pathNot: '^src/modules/ingestion/application/validate-request\\.ts$',
      },
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
      from: {
        path: '^src/domain/',
        // Known exceptions, two type-only cycles, removed once they are broken:
        // dispatch-decision <-> dispatch-gate <-> delivery-ledger.port (ClaimedNotification), notification-request <-> templates/template.
        pathNot: [
          '^src/domain/notification/dispatch-decision\\.ts$',
          '^src/domain/notification/dispatch-gate\\.ts$',
          '^src/domain/ports/delivery-ledger\\.port\\.ts$',
          '^src/domain/notification/notification-request\\.ts$',
          '^src/domain/templates/template\\.ts$',
        ],
      },
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
