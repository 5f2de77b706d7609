// Typed errors. Every message is written for the person at the station: it says what happened and
// what to do next. `code` is stable and machine-readable (CLI --json, HTTP API).

export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'CONFLICT'
  | 'SESSION_LOCKED'
  | 'STALE_LOCK'
  | 'LEASE_LOST'
  | 'STORAGE'
  | 'NETWORK'
  | 'CORRUPT'
  | 'LOCKED_OUT';

export class PackdeskError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...this.details };
  }
}

export class ValidationError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('VALIDATION', message, details);
  }
}

export class NotFoundError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NOT_FOUND', message, details);
  }
}

export class AlreadyExistsError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('ALREADY_EXISTS', message, details);
  }
}

export class ConflictError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFLICT', message, details);
  }
}

export interface LeaseHolder {
  station: string;
  worker: string;
  since: string;
  heartbeat_age_ms: number | null;
}

export class SessionLockedError extends PackdeskError {
  readonly holder: LeaseHolder;
  constructor(message: string, holder: LeaseHolder, details: Record<string, unknown> = {}) {
    super('SESSION_LOCKED', message, { holder, ...details });
    this.holder = holder;
  }
}

export class StaleLockError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('STALE_LOCK', message, details);
  }
}

export class LeaseLostError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('LEASE_LOST', message, details);
  }
}

export class StorageError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super('STORAGE', message, details, options);
  }
}

export class NetworkError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super('NETWORK', message, details, options);
  }
}

export class CorruptFileError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super('CORRUPT', message, details, options);
  }
}

/** Too many wrong PINs for a worker or from one address: no more tries until the lockout ends or a shift lead clears it. */
export class LockedOutError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('LOCKED_OUT', message, details);
  }
}
