import { counters, updateEntry } from './resources';

export const updateCounterRoute = updateEntry(counters);
