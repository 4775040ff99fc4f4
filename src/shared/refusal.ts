/**
 * A use case refusing a request, in words the client may read. Transport-free: each wire maps
 * the kind to its own status and code (Graph: `toGraphError` in `src/graph/conventions.ts`).
 */
export type RefusalKind = 'invalid' | 'forbidden' | 'notFound' | 'conflict';

export class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}
