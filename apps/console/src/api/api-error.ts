export interface FieldProblem {
  field: string;
  message: string;
}

/** A call the tier app refused (status ≥ 400), or could not answer (status 0: no response at all). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: FieldProblem[] = [],
    /** The stable code of an access rule's refusal, e.g. `ACCESS.APPLICATION_NOT_PENDING`. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** From a response that is not ok: the tier app's JSON error body, or its status text. */
  static async fromResponse(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!isRecord(body)) {
      return new ApiError(response.status, text.trim() || response.statusText || `HTTP ${response.status}`);
    }
    const message = Array.isArray(body.message)
      ? body.message.map(String).join('; ')
      : typeof body.message === 'string'
        ? body.message
        : response.statusText || `HTTP ${response.status}`;
    const problems = Array.isArray(body.problems) ? body.problems.filter(isProblem) : [];
    const code = typeof body.code === 'string' ? body.code : undefined;
    return new ApiError(response.status, message, problems, code);
  }
}

/** What to tell a person about a failed call, plainly and in one sentence. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error ? error.message : String(error);
  }
  switch (error.status) {
    case 0:
      return `The tier app did not answer (${error.message}). Check that it is running, then try again.`;
    case 401:
      return 'The token was not accepted. Sign in again with a valid token.';
    case 403:
      return `Your role may not do this (${error.message}).`;
    case 404:
      return `Not found: ${error.message}.`;
    case 409:
      return `Conflict: ${error.message}.`;
    case 503:
      return `The tier app cannot do this right now (${error.message}). Try again shortly.`;
    default:
      if (error.status >= 500) return `The tier app failed (${error.status}): ${error.message}.`;
      return error.message;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isProblem(value: unknown): value is FieldProblem {
  return isRecord(value) && typeof value.field === 'string' && typeof value.message === 'string';
}
