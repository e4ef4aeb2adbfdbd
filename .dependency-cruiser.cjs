/**
 * Import cycles fail CI. The layer rules (which folder may import which) live in
 * eslint.config.mjs, where the editor shows them; this checks what ESLint cannot see file by
 * file: a circle through any number of modules.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle of imports: the modules on it load half-initialized depending on which is required first.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Module names resolve as the compiler resolves them (commonjs, node10).
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json', '.d.ts'] },
  },
};
