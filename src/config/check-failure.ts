// What a setting's validation hook throws when it refuses a value. The
// registry turns it into PostgreSQL's error: by default 22023 'invalid value
// for parameter "X": "v"' with this detail/hint, or, when `code` and `message`
// are given, exactly that error (e.g. 0A000 for an unsupported encoding).

export class CheckFailure extends Error {
  readonly detail?: string;
  readonly hint?: string;
  readonly code?: string;

  constructor(fields: { detail?: string; hint?: string; code?: string; message?: string } = {}) {
    super(fields.message ?? '');
    this.name = 'CheckFailure';
    this.detail = fields.detail;
    this.hint = fields.hint;
    this.code = fields.code;
  }

  /** True when the hook supplied its own SQLSTATE and message. */
  get replacesMessage(): boolean {
    return this.code !== undefined && this.message !== '';
  }
}
