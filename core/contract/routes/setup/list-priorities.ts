import { listEntry, priorities } from './resources';

export const listPrioritiesRoute = listEntry(priorities);
