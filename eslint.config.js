import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** An import of a front end's folder (by a relative path; src/ has no path aliases). */
const frontEnd = (names) => ({
  regex: `^(\\.\\.?/)+(?:\\.\\./)*(?:src/)?(${names.join('|')})(/|$)`,
  message:
    'src/lib is shared by every front end and imports none; front ends do not import each other.'
})

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname }
    }
  },
  // The library's boundary (issue 15): it logs and masks through the Log it is given, and knows
  // no runner protocol; only src/action adapts @actions/core and reads @actions/github's context.
  {
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@actions/core', message: 'src/lib logs and masks through Deps.log.' },
            {
              name: '@actions/github',
              importNames: ['context'],
              message: "src/lib gets the run's facts as RunInfo, from its front end."
            }
          ],
          patterns: [frontEnd(['action', 'refresher', 'cli'])]
        }
      ]
    }
  },
  {
    files: ['src/refresher/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['@actions/core'], patterns: [frontEnd(['action', 'cli'])] }
      ]
    }
  },
  // The command line (issue 16) runs outside Actions: no @actions/core (it would load the
  // runner's protocol and undici's start-up cost), and no other front end's code.
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@actions/core', message: 'src/cli logs through its own CliLog.' }],
          patterns: [frontEnd(['action', 'refresher'])]
        }
      ]
    }
  },
  {
    files: ['src/action/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [frontEnd(['refresher', 'cli'])] }] }
  }
)
