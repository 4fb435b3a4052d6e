import { counters, createEntry } from './resources';

export const createCounterRoute = createEntry(counters);
