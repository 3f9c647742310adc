// `npm run lint`: ESLint with typescript-eslint's type-checked rules over every workspace and the
// root scripts. The rule that matters most is no-floating-promises: a forgotten `await` in a Cloud
// Function or the agent loses a write or an error silently, and only type information finds it
// (scripts/lint.test.mjs proves the rule fires). Formatting is Prettier's job (.prettierrc.json).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'functions/lib/**',
      'agent/dist/**',
      'agent/fixtures/**',
      'web/.next/**',
      'web/out/**',
      'web/public/**',
      'web/next-env.d.ts',
      'bench/.build/**',
      '.vigil/**',
      'coverage/**',
      // Planted defects for scripts/lint.test.mjs, which lints them with --no-ignore.
      'scripts/fixtures/lint/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // tsconfig.lint.json first: it holds the root scripts, so linting one of them (as the test
        // does) does not build every workspace's program before finding it.
        project: ['./tsconfig.lint.json', './schema/tsconfig.json', './functions/tsconfig.json', './agent/tsconfig.json', './web/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Async functions without `await` are how this code implements Promise-returning interfaces
      // (agent plugins, emulator handlers): the rule would force `Promise.resolve` noise.
      '@typescript-eslint/require-await': 'off',
      // Rules that fight this code's deliberate style rather than find defects:
      // - Firestore's DocumentData and JSON.parse are `any` by design; the code narrows them with
      //   zod schemas or checks, and tests read fields off parsed replies directly.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // - `String(value)` and template literals are how untrusted values become log and error text.
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      // - Control characters in regular expressions are what the escaping code strips, on purpose.
      'no-control-regex': 'off',
      // - Assertions that document a narrowed type, and rejections with non-Error reasons in tests
      //   that simulate a library's odd behaviour.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // - Methods passed as values where they do not use `this` (fs functions, test doubles).
      '@typescript-eslint/unbound-method': 'off',
      // - A rethrown error that replaces a parse failure with a clear message on purpose.
      'preserve-caught-error': 'off',
      // - An initial value before a try/catch that assigns it on every path, kept for the reader.
      'no-useless-assignment': 'off',
      // `_name` marks a parameter an interface requires but this implementation does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests read fields off parsed JSON replies as `any`, on purpose.
    files: ['**/*.test.ts', '**/*.test.mjs'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    // The compiler already reports undefined names, with the right globals per workspace.
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // Its page.evaluate callbacks run inside the benchmarked page.
    files: ['bench/dashboard-run.mjs'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
  },
);
