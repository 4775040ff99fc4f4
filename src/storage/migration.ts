/** A numbered, forward-only schema change for one backend. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
