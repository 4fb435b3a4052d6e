import { deleteEntry, queues } from './resources';

export const deleteQueueRoute = deleteEntry(queues);
