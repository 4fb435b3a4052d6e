import type { SetupReader } from '#core/ports/setup';
import { loadBranchSetup } from './branch-setup';
import { pageOf } from './cursor';

/** Setup lists (queues, counters) are read whole with the branch; they page in creation order. */
export const dynamoSetupReader: SetupReader = {
  loadSetup: loadBranchSetup,
  pageOf: (items, list, { limit, cursor }) =>
    pageOf(items, (item) => `${item.createdAt}#${item.id}`, limit, cursor, list),
};
