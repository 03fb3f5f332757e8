import { InitialSchema1763700000000 } from './1763700000000-InitialSchema';
import { Recipients1763700100000 } from './1763700100000-Recipients';
import { PolitenessIndex1763700600000 } from './1763700600000-PolitenessIndex';
import { DeliveryTracking1763700700000 } from './1763700700000-DeliveryTracking';
import { CustomerWebhooks1763700800000 } from './1763700800000-CustomerWebhooks';

/** Every migration, oldest first. Listed explicitly so that the same list works compiled and under ts-jest. */
export const MIGRATIONS = [InitialSchema1763700000000, Recipients1763700100000, PolitenessIndex1763700600000, DeliveryTracking1763700700000, CustomerWebhooks1763700800000];
