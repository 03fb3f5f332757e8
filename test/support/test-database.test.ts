import { assertTestDatabaseName, createTestDatabase } from './test-database';

describe('the test database guard', () => {
  it.each(['herald', 'postgres', 'herald_prod', 'my_herald_test_db', 'herald_test', 'herald_test_x; DROP DATABASE herald', 'HERALD_TEST_A'])('refuses %j', async (name) => {
    expect(() => assertTestDatabaseName(name)).toThrow(/refusing to use database/);
    await expect(createTestDatabase(name)).rejects.toThrow(/refusing to use database/);
  });

  it('accepts a name that starts with herald_test_', () => {
    expect(() => assertTestDatabaseName('herald_test_0a1b2c3d')).not.toThrow();
  });
});
