// The project's own tests use the testing kit's online source under its old name.
export {
  type ManualOnline as FakeOnline,
  manualOnline as fakeOnline,
} from '../../src/testing/online.ts'
