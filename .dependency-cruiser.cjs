/**
 * The layer rules of docs/architecture.md, checked by `npm run lint` (dependency-cruiser). Each rule names
 * who may not import what, and why; type-only imports count too (a type drags its module's layer along).
 *
 *   routes ─▶ services ─▶ repositories ─▶ (SQL)
 *      │          │  └──▶ domain ─▶ engine
 *      │          └─────▶ dashboards (views) ─▶ engine
 *      └─▶ auth, cache, schema/contracts            (plugins: cross-cutting, beside routes)
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle makes load order matter and the layers meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'engine-stands-alone',
      severity: 'error',
      comment:
        'The turn-the-curve engine is pure and reusable on its own: it imports nothing outside server/engine/ (npm packages aside).',
      from: { path: '^server/engine/' },
      to: { pathNot: ['^server/engine/', '^node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'engine-no-io',
      severity: 'error',
      comment: 'The engine does no I/O: numbers in, numbers out.',
      from: { path: '^server/engine/' },
      to: { dependencyTypes: ['core'], pathNot: ['^node:crypto$', '^crypto$'] },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'Domain rules are pure: API objects or their own types in, results or typed errors out. They do not reach up to use cases, HTTP or storage.',
      from: { path: '^server/domain/' },
      to: {
        path: [
          '^server/(repositories|services|routes|plugins|cache|auth)/',
          '^server/(app|main|database|dependencies|config)\\.ts$',
          '^schema/(database|migrations)',
        ],
      },
    },
    {
      name: 'domain-no-io',
      severity: 'error',
      comment: 'No database, network, file or HTTP library in the domain (drawing random ids is allowed).',
      from: { path: '^server/domain/' },
      to: {
        path: ['^node_modules/(kysely|pg|pg-copy-streams|@electric-sql|fastify|@fastify)/'],
      },
    },
    {
      name: 'domain-no-node-io',
      severity: 'error',
      comment: 'No Node I/O modules in the domain (node:crypto for fresh ids is fine).',
      from: { path: '^server/domain/' },
      to: { dependencyTypes: ['core'], pathNot: ['^node:crypto$', '^crypto$'] },
    },
    {
      name: 'repositories-only-sql',
      severity: 'error',
      comment:
        'Repositories speak SQL and map rows to API objects; they do not compose use cases, know HTTP or caches.',
      from: { path: '^server/repositories/' },
      to: {
        path: [
          '^server/(services|routes|plugins|cache)/',
          '^server/(app|main)\\.ts$',
          '^node_modules/(fastify|@fastify|fastify-type-provider-zod)/',
        ],
      },
    },
    {
      name: 'repositories-decide-no-access',
      severity: 'error',
      comment:
        "Authorization is decided by plugins and services (auth/policy.ts), never inside a query: repositories take the policy's types (Principal, Anchor, PrivateScope), not its decisions. Token secrets are hashed with auth/token-secret.ts.",
      from: { path: '^server/repositories/' },
      to: { path: '^server/auth/', pathNot: '^server/auth/token-secret\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'services-no-http',
      severity: 'error',
      comment: 'Use cases know nothing of HTTP: routes and plugins translate requests and replies.',
      from: { path: '^server/services/' },
      to: {
        path: [
          '^server/(routes|plugins|cache)/',
          '^server/(app|main)\\.ts$',
          '^node_modules/(fastify|@fastify|fastify-type-provider-zod)/',
        ],
      },
    },
    {
      name: 'no-sql-outside-repositories',
      severity: 'error',
      comment:
        'SQL lives in server/repositories/ only; the app factory and database module open and hand over the connection.',
      from: {
        path: '^(server|dashboards|schema|seeds|scripts)/',
        pathNot: [
          '^server/repositories/',
          '^server/(app|main|database|database-replicas|dependencies)\\.ts$',
          '^server/cache/postgres-change-feed\\.ts$',
          '^schema/(database|migrations)',
        ],
      },
      to: { path: '^node_modules/(kysely|pg|pg-copy-streams|@electric-sql)/' },
    },
    {
      name: 'routes-call-use-cases',
      severity: 'error',
      comment:
        'A route parses, authorizes, calls one service or repository function and replies: analysis, rules and views are reached through services.',
      from: { path: '^server/routes/' },
      to: { path: ['^server/(domain|engine)/', '^dashboards/'] },
    },
    {
      name: 'dashboards-are-views',
      severity: 'error',
      comment:
        'Chart builders are pure views of API objects and engine results: they import the engine and the contracts, nothing else of the server.',
      from: { path: '^dashboards/' },
      to: { path: ['^server/', '^schema/(database|migrations)'], pathNot: '^server/engine/' },
    },
    {
      name: 'pages-are-views',
      severity: 'error',
      comment:
        'The workspace pages (server/pages/) are pure HTML views of the data services return, with their text in pages/text.ts: they read nothing and decide nothing.',
      from: { path: '^server/pages/' },
      to: { pathNot: ['^server/pages/', '^schema/contracts/'] },
    },
    {
      name: 'auth-is-policy',
      severity: 'error',
      comment: 'Access rules are pure functions of a principal and an anchor; plugins and services feed them.',
      from: { path: '^server/auth/' },
      to: { path: ['^server/(repositories|services|routes|plugins|cache|domain)/', '^node_modules/(kysely|fastify)/'] },
    },
    {
      name: 'cache-below-plugins',
      severity: 'error',
      comment: 'The response cache is used by plugins and routes; it does not reach up into them.',
      from: { path: '^server/cache/' },
      to: { path: '^server/(routes|plugins|services|repositories)/' },
    },
    {
      name: 'schema-below-server',
      severity: 'error',
      comment:
        "Contracts and database types are the vocabulary; they may use the engine's enums and nothing else of the server.",
      from: { path: '^schema/' },
      to: { path: '^server/', pathNot: '^server/engine/' },
    },
    {
      name: 'only-entry-points-import-the-app',
      severity: 'error',
      comment: 'app.ts wires everything; modules it imports must not import it back (the AppDependencies circle).',
      from: { path: '^(server|dashboards|schema)/', pathNot: '^server/main\\.ts$' },
      to: { path: '^server/app\\.ts$' },
    },
    {
      name: 'test-code-stays-in-test',
      severity: 'error',
      comment: 'Nothing shipped imports test code (fixtures, helpers): tsconfig.build.json does not compile test/.',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
