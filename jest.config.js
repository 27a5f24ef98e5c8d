/** ESM TypeScript through ts-jest; see ../shared/TOOLCHAIN.md. */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  // Two cores: end-to-end tests spawn node subprocesses, so keep workers at two.
  maxWorkers: 2,
  testTimeout: 60000
}
