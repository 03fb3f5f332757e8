// Applies every migration to the database at the URL given as the only argument, as Herald does when it starts
// (test/setup/global-setup.mjs runs it once on the template database that test databases are copied from).
require('../support/ts-register.cjs');
require('reflect-metadata');
const { createDataSource, runMigrationsLocked } = require('../../src/infrastructure/typeorm/data-source.ts');

async function main() {
  const dataSource = await createDataSource(process.argv[2], 1).initialize();
  try {
    await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
