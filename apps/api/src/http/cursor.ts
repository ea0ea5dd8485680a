import { decodeCursor, type Cursor } from '@xorb/db';
import { ProblemException } from './problem.exception';

/** A cursor the client made up (or mangled) is a 400 naming the field, never a 500. */
export function parseCursor(cursor: string | undefined): Cursor | undefined {
  if (cursor === undefined) return undefined;
  const decoded = decodeCursor(cursor);
  if (!decoded) {
    throw new ProblemException(400, 'Invalid request: query.cursor is not a cursor this API returned', {
      title: 'Invalid request',
      errors: [{ field: 'query.cursor', message: 'is not a cursor this API returned' }],
    });
  }
  return decoded;
}
