import { counters, getEntry } from './resources';

export const getCounterRoute = getEntry(counters);
