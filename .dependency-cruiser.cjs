/**
 * `npm run lint:deps`: import cycles and the layering of the tree, checked on resolved paths
 * (so `#shared/*` aliases, relative paths and type-only imports all count). biome.json states the
 * same layering on import specifiers, for the editor; this is the check that cannot be sidestepped.
 *
 * Layers, bottom up: shared/domain (pure) ← shared/runtime ← shared/store ← context folders
 * (shared/tickets, kb, email, …) ← shared/http ← functions/ (entry points) and infra/, test/.
 * web/ (when it exists) and cli/ build on shared/http alone (cli's bootstrap-admin excepted). The rule names below are the
 * prefixes of the Biome messages too.
 */
const PLATFORM =
  '(^|/)node_modules/(@aws-sdk|@aws-lambda-powertools|@middy|@types/aws-lambda|aws-cdk-lib|constructs)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycles (type-only imports included) make load order fragile and the layering meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve (mistyped alias or path) would hide from every rule here.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'shared-below-entry-points',
      severity: 'error',
      comment: 'shared/ is the layer below functions/, infra/ and test/ and imports none of them.',
      from: { path: '^shared/' },
      to: { path: '^(functions|infra|test)/' },
    },
    {
      name: 'domain-imports-domain-only',
      severity: 'error',
      comment:
        'shared/domain imports only shared/domain (and pure libraries such as zod or luxon, and shared/runtime/zod.ts, which is zod itself).',
      from: { path: '^shared/domain/' },
      to: { path: '^shared/', pathNot: '^shared/(domain/|runtime/zod\\.ts$)' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'shared/domain is pure: no AWS SDK, Powertools, Middy, Lambda types or CDK (adapters live beside their context, runtime concerns in shared/runtime).',
      from: { path: '^shared/domain/' },
      to: { path: PLATFORM },
    },
    {
      name: 'runtime-imports-runtime-domain',
      severity: 'error',
      comment:
        'shared/runtime (observability, the handler factory, env helpers) imports only shared/runtime and shared/domain.',
      from: { path: '^shared/runtime/' },
      to: { path: '^shared/', pathNot: '^shared/(runtime|domain)/' },
    },
    {
      name: 'store-imports-store-domain-runtime',
      severity: 'error',
      comment:
        'shared/store imports only shared/store, shared/domain and shared/runtime — never a context folder.',
      from: { path: '^shared/store/' },
      to: { path: '^shared/', pathNot: '^shared/(store|domain|runtime)/' },
    },
    {
      name: 'no-http-in-contexts',
      severity: 'error',
      comment:
        'Only functions/ (and web/, cli/) build on shared/http; no other shared/ folder depends on the HTTP layer.',
      from: { path: '^shared/', pathNot: '^shared/http/' },
      to: { path: '^shared/http/' },
    },
    {
      name: 'functions-are-entry-points',
      severity: 'error',
      comment: 'functions/ holds entry points only: they import shared/, never each other, infra/ or test/.',
      from: { path: '^functions/' },
      to: { path: '^(functions|infra|test)/' },
    },
    {
      name: 'entry-points-not-imported',
      severity: 'error',
      comment:
        'Only infra/ (which deploys or runs them locally) and test/ import an entry point of functions/.',
      from: { pathNot: '^(infra|test|functions)/' },
      to: { path: '^functions/' },
    },
    {
      name: 'clients-use-http-schemas-only',
      severity: 'error',
      comment:
        'web/ and cli/ import only the HTTP schema modules of shared/http — never other shared/ folders, functions/, infra/ or test/; except `tierdesk bootstrap-admin`, the one command that runs with AWS credentials, which calls infra/bootstrap-admin.ts (there is no admin yet to call the API).',
      from: { path: '^(web|cli)/' },
      to: { path: '^(shared|functions|infra|test)/', pathNot: '^(shared/http/|infra/bootstrap-admin[.]ts$)' },
    },
    {
      name: 'mailauth-local-only',
      severity: 'error',
      comment:
        'mailauth verifies mail on the laptop (infra/local, the SES stand-in) and in tests; on AWS SES verifies, so no Lambda bundle carries it.',
      from: { pathNot: '^(infra/local|test)/' },
      to: { path: '(^|/)node_modules/mailauth/' },
    },
  ],
  options: {
    // Node and this repo's own folders only; dependencies are leaves.
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '^(cdk\\.out|\\.tools|\\.tierdesk|coverage|docs)/|(^|/)cdk\\.out/' },
    // TypeScript 7 has no JS compiler API that dependency-cruiser can use, so swc parses the sources. swc
    // keeps type-only imports (tagged `type-only`), so cycles through types count without
    // tsPreCompilationDeps, which would only ask for the missing tsc.
    parser: 'swc',
    moduleSystems: ['es6', 'cjs'],
    // package.json `imports` (#shared/*, #functions/*, …) are resolved by enhanced-resolve.
    enhancedResolveOptions: {
      extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
