import { PreferenceStore } from '../../src/domain/ports/preference-store.port';

/** Every method of the port: the compiler checks that the list stays complete. */
const METHODS: { [K in keyof PreferenceStore]: true } = {
  upsertCategory: true,
  listCategories: true,
  getCategories: true,
  getPreferences: true,
  replacePreferences: true,
  setCategoryChannel: true,
  optOutChannel: true,
  optOutAddress: true,
  optOutPhone: true,
  optInPhone: true,
  optedOutAddresses: true,
};

/** A PreferenceStore that has only `methods`; calling any other fails the test, naming `user` and the method. */
export function preferenceStoreWith(methods: Partial<PreferenceStore>, user: string): PreferenceStore {
  const store = Object.create(PreferenceStore.prototype) as PreferenceStore;
  for (const name of Object.keys(METHODS) as Array<keyof PreferenceStore>) {
    Object.assign(store, {
      [name]:
        methods[name] ??
        (() => {
          throw new Error(`${name} is not expected of ${user}`);
        }),
    });
  }
  return store;
}
