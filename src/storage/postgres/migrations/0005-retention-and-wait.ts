/**
 * PostgreSQL twin of sqlite/migrations/0005: the index the retention sweeper reads
 * (docs/retention.md), and a notification on every node when an operation ends, which wakes
 * requests waiting with `Prefer: wait` (extension `wait`, docs/extensions.md) wherever the
 * operation ran. Frozen in time once released.
 */
export const up = /* sql */ `
CREATE INDEX operations_ended ON operations (last_action_at) WHERE status IN ('succeeded', 'failed');

-- LISTEN longrun_done: the payload is the id of the operation that just became terminal.
CREATE FUNCTION operations_notify_done() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('longrun_done', NEW.id);
  RETURN NULL;
END;
$$;

CREATE TRIGGER operations_notify_done AFTER UPDATE OF status ON operations
  FOR EACH ROW WHEN (NEW.status IN ('succeeded', 'failed') AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION operations_notify_done();
`;
