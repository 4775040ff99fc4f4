/**
 * Words for a schema validation failure, naming the field: what every wire puts in its own
 * error shape (Graph's 400 envelope, Entra's invalid_request).
 */
import type { FastifySchemaValidationError } from 'fastify';

export interface ValidationProblem {
  /** The field at fault (`newPassword`, `$top`, `settings.threshold`), or '' for the whole part. */
  field: string;
  message: string;
}

type VerboseError = FastifySchemaValidationError & { parentSchema?: { title?: string; description?: string } };

const pathOf = (instancePath: string): string => instancePath.split('/').filter(Boolean).join('.');
const join = (parent: string, child: string): string => (parent ? `${parent}.${child}` : child);

/** The first failure, in the Graph wording of the same mistake where Graph has one. */
export function describeValidation(errors: readonly FastifySchemaValidationError[], part: string): ValidationProblem {
  // With a union (`null` or an object; a string or null) Ajv reports every branch, then `anyOf`:
  // the branch that says something is the one that is not "must be null".
  const error = errors.find((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && e.params.type === 'null')) ?? errors[0];
  if (!error) return { field: '', message: `The request ${part} is not valid.` };
  const at = pathOf(error.instancePath);
  const p = error.params;
  if (part === 'querystring') {
    const field = error.keyword === 'required' ? join(at, String(p.missingProperty)) : at;
    if (error.keyword === 'required') return { field, message: `Query option '${field}' is required.` };
    // A query value is a string unless the option was given more than once (then an array).
    if (error.keyword === 'type' && p.type === 'string') return { field, message: `Query option '${field}' was specified more than once.` };
    return { field, message: `Invalid value for query option '${field}': it ${error.message ?? 'is not valid'}.` };
  }
  if (part === 'params')
    return { field: at, message: `Invalid value for the path segment '${at}': it ${error.message ?? 'is not valid'}.` };
  const problem = bodyProblem(error, at);
  // A schema's description says what the body should be (`isActive`: false dismisses…).
  const hint = (error as { parentSchema?: { description?: string } }).parentSchema?.description;
  return hint ? { ...problem, message: `${problem.message} ${hint}` } : problem;
}

function bodyProblem(error: VerboseError, at: string): ValidationProblem {
  const p = error.params;
  switch (error.keyword) {
    case 'required': {
      const field = join(at, String(p.missingProperty));
      return { field, message: `The property '${field}' is required.` };
    }
    case 'additionalProperties': {
      const field = join(at, String(p.additionalProperty));
      const type = error.parentSchema?.title;
      return {
        field,
        message: type ? `The property '${field}' does not exist on type '${type}'.` : `The property '${field}' is not expected here.`,
      };
    }
    case 'type':
      if (at === '' && p.type === 'object') return { field: '', message: 'The request body must be a JSON object.' };
      return { field: at, message: `The property '${at}' must be ${article(String(p.type))}.` };
    default:
      return {
        field: at,
        message: at
          ? `Invalid value for the property '${at}': it ${error.message ?? 'is not valid'}.`
          : `The request body ${error.message ?? 'is not valid'}.`,
      };
  }
}

function article(type: string): string {
  if (type === 'integer' || type === 'object' || type === 'array') return `an ${type}`;
  return `a ${type}`;
}
