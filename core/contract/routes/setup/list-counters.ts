import { counters, listEntry } from './resources';

export const listCountersRoute = listEntry(counters);
