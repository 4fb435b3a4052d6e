import { getEntry, queues } from './resources';

export const getQueueRoute = getEntry(queues);
