import { listEntry, queues } from './resources';

export const listQueuesRoute = listEntry(queues);
