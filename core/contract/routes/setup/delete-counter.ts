import { counters, deleteEntry } from './resources';

export const deleteCounterRoute = deleteEntry(counters);
