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
  // Four workers on two cores: much of an end-to-end suite is waiting (retry back-offs, the
  // step's budget, a refresh that is due), not computing, and the waits of two suites overlap the
  // subprocesses of the other two. Measured on the 2-core machine: 148 s with two, 75 s with four.
  maxWorkers: 4,
  testTimeout: 60000
}
