import { branches, listEntry } from './resources';

export const listBranchesRoute = listEntry(branches);
