import { deleteEntry, priorities } from './resources';

export const deletePriorityRoute = deleteEntry(priorities);
