import { createEntry, queues } from './resources';

export const createQueueRoute = createEntry(queues);
