import { getEntry, priorities } from './resources';

export const getPriorityRoute = getEntry(priorities);
