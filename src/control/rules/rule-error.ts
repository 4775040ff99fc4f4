/** A rule body the control API refuses: `field` is the JSON path of the bad value (`respond.status`). */
export class RuleValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
