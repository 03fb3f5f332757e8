export default async function globalTeardown() {
  const state = globalThis.__HERALD_TEST_STATE__ ?? {};
  await state.sqs?.stop();
  await state.template?.drop().catch(() => undefined);
  await state.pg?.stop();
}
