import tseslint from 'typescript-eslint';

const FRAMEWORKS = ['@nestjs/*', 'typeorm', 'pg', '@aws-sdk/*', 'class-validator', 'class-transformer', 'nodemailer', 'express', 'firebase-admin', 'prom-client', 'pino'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.local/**', '**/*.mjs', '**/*.js', 'test/fixtures/openapi-client/**', 'test/fixtures/sdk-program/**', 'packages/*/dist/**', 'packages/sdk/src/generated/**'] },
  {
    files: ['**/*.ts', 'console/**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      'no-restricted-syntax': [
        'error',
        { selector: "BinaryExpression[left.property.name='NODE_ENV'][right.value='test']", message: 'Configure adapters in tests instead of switching behaviour on NODE_ENV.' },
      ],
    },
  },
  {
    // The domain is plain TypeScript: no framework, no infrastructure, no application modules.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: FRAMEWORKS, message: 'src/domain must not depend on frameworks or drivers.' },
            { group: ['**/infrastructure/**', '**/modules/**'], message: 'src/domain must not import adapters or application modules.' },
          ],
        },
      ],
    },
  },
  {
    // The SDK runs in browsers as in Node: its one dependency is openapi-fetch, and nothing from Node.
    files: ['packages/sdk/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!openapi-fetch$|\\.{1,2}/)', message: 'The SDK may import only openapi-fetch and its own files.' }] },
      ],
    },
  },
  {
    // The inbox element runs in any page, next to any framework: lit, the SDK and its own files, nothing else.
    files: ['packages/inbox/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!lit$|lit/|@herald/sdk$|\\.{1,2}/)', message: 'The inbox element may import only lit, the SDK and its own files.' }] },
      ],
    },
  },
);
