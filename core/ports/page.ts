/** What a list request asks for: up to `limit` items, from `cursor` on (from the start without). */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
