import { branches, createEntry } from './resources';

export const createBranchRoute = createEntry(branches);
