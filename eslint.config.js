// Lint configuration: typescript-eslint's recommended rules over src, test, bench, scripts and soak.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '*.tgz', 'sea/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/cli/**', 'src/ui/**', 'bin/**', 'bench/**', 'scripts/**', 'soak/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
