import { InitialSchema1763700000000 } from './1763700000000-InitialSchema';
import { Recipients1763700100000 } from './1763700100000-Recipients';
import { HotPathForeignKeys1763700700000 } from './1763700700000-HotPathForeignKeys';

/** Every migration, oldest first. Listed explicitly so that the same list works compiled and under ts-jest. */
export const MIGRATIONS = [InitialSchema1763700000000, Recipients1763700100000, HotPathForeignKeys1763700700000];
