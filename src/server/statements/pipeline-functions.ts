// PipelineDB 1.0's functions on continuous queries, callable as
// pipelinedb.activate('v') or unqualified:
//
//   activate(text) / deactivate(text) -> bool   true when the state changed
//   truncate_continuous_view(text)    -> void
//
// They act on the catalog of the session that runs them. The function
// catalog only hands implementations an EvalContext, so the session is found
// through its hooks object (one per session, registered before the session's
// SELECTs are planned).
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { registerFunction, type EvalContext, type SessionHooks } from '../../sql/functions/catalog.js';
import type { Session } from '../session.js';
import { pipelineCatalog, requirePublicSchema } from './pipeline-common.js';
import { truncateView } from './pipeline-view-statements.js';

const sessions = new WeakMap<SessionHooks, Session>();

/** Makes the pipelinedb functions usable in this session's statements. */
export function bindPipelineSession(session: Session): void {
  if (!sessions.has(session.hooks)) sessions.set(session.hooks, session);
}

function sessionOf(ctx: EvalContext): Session {
  const s = sessions.get(ctx.hooks);
  if (!s) throw new PgError(SQLSTATE.feature_not_supported, 'continuous queries cannot be managed from this context');
  return s;
}

/** A name argument as PostgreSQL's textToQualifiedNameList reads it: [schema.]name, unquoted names lower-cased. */
function relationName(text: string): { schema: string | null; name: string } {
  const parts: string[] = [];
  let i = 0;
  while (i <= text.length) {
    let part = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          break;
        }
        part += text[i++];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== '.') part += text[i++];
      part = part.trim().toLowerCase();
    }
    if (part === '') throw new PgError(SQLSTATE.invalid_name, 'invalid name syntax');
    parts.push(part);
    if (i >= text.length) break;
    if (text[i] !== '.') throw new PgError(SQLSTATE.invalid_name, 'invalid name syntax');
    i++;
  }
  return { schema: parts.length > 1 ? parts[parts.length - 2] : null, name: parts[parts.length - 1] };
}

function setActive(ctx: EvalContext, arg: string, active: boolean): boolean {
  const session = sessionOf(ctx);
  const { schema, name } = relationName(arg);
  requirePublicSchema(schema);
  const catalog = pipelineCatalog(session);
  if (!catalog.viewByName(session.db.oid, name)) throw new PgError(SQLSTATE.internal_error, `"${name}" does not exist`);
  return catalog.setActive(session.db.oid, name, active);
}

registerFunction(
  {
    name: 'activate',
    args: [OID.text],
    ret: OID.bool,
    strict: true,
    volatility: 'volatile',
    impl: ([name], ctx) => setActive(ctx, name as string, true),
  },
  {
    name: 'deactivate',
    args: [OID.text],
    ret: OID.bool,
    strict: true,
    volatility: 'volatile',
    impl: ([name], ctx) => setActive(ctx, name as string, false),
  },
  {
    name: 'truncate_continuous_view',
    args: [OID.text],
    ret: OID.void,
    strict: true,
    volatility: 'volatile',
    impl: ([arg], ctx) => {
      const session = sessionOf(ctx);
      const { schema, name } = relationName(arg as string);
      requirePublicSchema(schema);
      truncateView(session, name, () => new PgError(SQLSTATE.undefined_object, `continuous view "${name}" does not exist`));
      return '';
    },
  },
);
