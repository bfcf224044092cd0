// The project's own tests use the testing kit's manual clock under its old name.
export {
  type ManualClock as FakeClock,
  manualClock as fakeClock,
} from '../../src/testing/clock.ts'
