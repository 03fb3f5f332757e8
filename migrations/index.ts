import { InitialSchema1763700000000 } from './1763700000000-InitialSchema';
import { Recipients1763700100000 } from './1763700100000-Recipients';
import { EventSources1763700200000 } from './1763700200000-EventSources';

/** Every migration, oldest first. Listed explicitly so that the same list works compiled and under ts-jest. */
export const MIGRATIONS = [InitialSchema1763700000000, Recipients1763700100000, EventSources1763700200000];
