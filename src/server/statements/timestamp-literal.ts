// VALID UNTIL 'literal': a timestamptz read in the session's TimeZone/DateStyle.
import { OID } from '../../types/oids.js';
import { textIn } from '../../types/type-io.js';
import type { Session } from '../session.js';

export function parseTimestamptzLiteral(text: string, session: Session): number | null {
  const v = textIn(OID.timestamptz, text, -1, session.settings.ioContext()) as number;
  return v === Infinity ? null : v;
}
