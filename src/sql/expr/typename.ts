// Resolving a TypeName AST node (names, typmods, array bounds) to a type OID
// and PostgreSQL's encoded typmod.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID, typeByName, typeByOid } from '../../types/oids.js';
import { numericTypmod } from '../../types/numeric.js';
import { nameList, type AstNode } from './ast.js';

const VARHDRSZ = 4;
const MAX_TIME_PRECISION = 6;
const INTERVAL_FULL_RANGE = 0x7fff;
const INTERVAL_FULL_PRECISION = 0xffff;

export interface ResolvedType {
  type: number;
  typmod: number;
}

export function resolveTypeName(tn: AstNode): ResolvedType {
  const names = nameList(tn.names);
  const loc = typeof tn.location === 'number' ? tn.location : -1;
  const schema = names.length > 1 ? names[names.length - 2] : null;
  const name = names[names.length - 1];
  const info = schema === null || schema === 'pg_catalog' ? typeByName(name) : undefined;
  if (!info) {
    throw new PgError(SQLSTATE.undefined_object, `type "${names.join('.')}" does not exist`, { position: loc + 1 });
  }
  const mods: number[] = (tn.typmods ?? []).map((m: AstNode) => {
    const c = m.A_Const;
    if (!c || c.ival === undefined) {
      throw new PgError(SQLSTATE.syntax_error, 'type modifiers must be simple constants or identifiers', { position: loc + 1 });
    }
    return (c.ival.ival as number | undefined) ?? 0;
  });
  let type = info.oid;
  const typmod = mods.length ? encodeTypmod(type, mods, loc) : -1;
  if (tn.arrayBounds && tn.arrayBounds.length > 0) {
    const arr = typeByOid(type)?.array;
    if (arr === undefined) {
      throw new PgError(SQLSTATE.undefined_object, `type "${names.join('.')}[]" does not exist`, { position: loc + 1 });
    }
    type = arr;
  }
  return { type, typmod };
}

function encodeTypmod(type: number, mods: number[], loc: number): number {
  const invalid = (msg: string) => new PgError(SQLSTATE.invalid_parameter_value, msg, { position: loc + 1 });
  const typeLabel = typeByOid(type)?.name ?? String(type);
  switch (type) {
    case OID.varchar:
    case OID.bpchar: {
      if (mods.length !== 1) throw invalid(`invalid type modifier`);
      if (mods[0] < 1) throw invalid(`length for type ${typeLabel} must be at least 1`);
      if (mods[0] > 10485760) throw invalid(`length for type ${typeLabel} cannot exceed 10485760`);
      return mods[0] + VARHDRSZ;
    }
    case OID.numeric:
      if (mods.length > 2) throw invalid('invalid NUMERIC type modifier');
      try {
        return numericTypmod(mods[0], mods.length > 1 ? mods[1] : 0);
      } catch (e) {
        if (e instanceof PgError && e.position === undefined) e.position = loc + 1;
        throw e;
      }
    case OID.timestamp:
    case OID.timestamptz:
    case OID.time:
    case OID.timetz: {
      if (mods.length !== 1) throw invalid('invalid type modifier');
      const p = mods[0];
      if (p < 0) throw invalid(`${typeLabel.toUpperCase()}(${p}) precision must not be negative`);
      return Math.min(p, MAX_TIME_PRECISION);
    }
    case OID.interval: {
      const range = mods[0];
      const precision = mods.length > 1 ? Math.min(Math.max(mods[1], 0), MAX_TIME_PRECISION) : INTERVAL_FULL_PRECISION;
      if (mods.length === 1 && range === INTERVAL_FULL_RANGE) return -1;
      return ((range & 0x7fff) << 16) | (precision & 0xffff);
    }
    case OID.bit:
    case OID.varbit:
      if (mods[0] < 1) throw invalid(`length for type ${typeLabel} must be at least 1`);
      return mods[0];
    default:
      throw new PgError(SQLSTATE.syntax_error, `type modifier is not allowed for type "${typeLabel}"`, { position: loc + 1 });
  }
}
