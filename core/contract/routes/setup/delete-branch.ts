import { branches, deleteEntry } from './resources';

export const deleteBranchRoute = deleteEntry(branches);
