/** A gate option outside its allowed range; `field` names the option. */
export class GateConfigError extends Error {
  override readonly name = 'GateConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A state object that does not belong to this kind of gate. */
export class GateStateError extends Error {
  override readonly name = 'GateStateError';
}
