import type { FieldProblem } from '../api/api-error';
import type { ApiKeyPurpose } from '../api/types';

/** The tier app's longest name (MAX_NAME of its HTTP inputs). */
export const MAX_KEY_NAME = 128;

/**
 * The body of `POST /v1/orgs/{orgId}/keys` from the form, or what is wrong with it, checked here as the
 * API would so that a person sees the problem next to the field. Whether the organization may hold a
 * production key is the API's to say (a 409).
 */
export function parseIssueKey(
  purpose: string,
  name: string,
): { purpose: ApiKeyPurpose; name: string } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (purpose !== 'trial' && purpose !== 'production') {
    problems.push({ field: 'purpose', message: 'Choose what the key is for: trial or production.' });
  }
  const trimmed = name.trim();
  if (trimmed === '') {
    problems.push({ field: 'name', message: 'Name the key, so that it can be told apart in lists.' });
  } else if (trimmed.length > MAX_KEY_NAME) {
    problems.push({ field: 'name', message: `The name may have at most ${MAX_KEY_NAME} characters.` });
  }
  return problems.length > 0 ? { problems } : { purpose: purpose as ApiKeyPurpose, name: trimmed };
}

/** Where a text can be written for pasting: the browser's clipboard, absent outside secure contexts. */
export interface ClipboardLike {
  writeText(text: string): Promise<void>;
}

/**
 * Copies a text, or says that the browser would not (no clipboard over plain HTTP to another host, or
 * permission refused), so that the page can ask the person to copy it by hand.
 */
export async function copyText(clipboard: ClipboardLike | undefined, text: string): Promise<boolean> {
  if (!clipboard) return false;
  try {
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
