import { priorities, updateEntry } from './resources';

export const updatePriorityRoute = updateEntry(priorities);
