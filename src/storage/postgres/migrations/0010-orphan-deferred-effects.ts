/**
 * Retention removed ended operations whose lagged effect was still to apply (fixed with this
 * migration: retention now keeps them until it has applied, docs/retention.md). Their
 * `deferred_effects` rows joined no operation, so no executor could take them, and once due
 * they kept the executor's loop waking every few milliseconds. This removes such rows once.
 */
export const up = /* sql */ `
DELETE FROM deferred_effects WHERE NOT EXISTS (SELECT 1 FROM operations o WHERE o.id = deferred_effects.operation_id);
`;
