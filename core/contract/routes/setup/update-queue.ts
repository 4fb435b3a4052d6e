import { queues, updateEntry } from './resources';

export const updateQueueRoute = updateEntry(queues);
