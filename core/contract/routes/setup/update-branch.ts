import { branches, updateEntry } from './resources';

export const updateBranchRoute = updateEntry(branches);
