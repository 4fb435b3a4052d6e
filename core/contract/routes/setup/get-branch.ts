import { branches, getEntry } from './resources';

export const getBranchRoute = getEntry(branches);
