import { createEntry, priorities } from './resources';

export const createPriorityRoute = createEntry(priorities);
