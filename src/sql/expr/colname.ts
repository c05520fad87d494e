// Output column names for unnamed select-list items, as PostgreSQL 11's
// FigureColname chooses them from the raw expression: column and function
// names win, then type names of casts, then "?column?".
import { nameList, nodeKind, type AstNode } from './ast.js';
import { canonicalFunctionName } from './analyze-functions.js';

const SVF_NAMES: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIME: 'current_time',
  SVFOP_CURRENT_TIME_N: 'current_time',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
  SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp',
  SVFOP_LOCALTIME: 'localtime',
  SVFOP_LOCALTIME_N: 'localtime',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
  SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
  SVFOP_CURRENT_ROLE: 'current_role',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_USER: 'user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_CATALOG: 'current_catalog',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
};

/** The column name PostgreSQL gives an unnamed select-list expression. */
export function figureColname(node: unknown): string {
  const r = figure(node);
  return r ? r.name : '?column?';
}

interface Named {
  name: string;
  /** 1: weak (type name of a cast, "case"), 2: strong (column/function name). */
  strength: 1 | 2;
}

function figure(node: unknown): Named | null {
  if (!node || typeof node !== 'object') return null;
  const [kind, n] = nodeKind(node) as [string, AstNode];
  switch (kind) {
    case 'ColumnRef': {
      const names = nameList(n.fields);
      const last = names[names.length - 1];
      return last === '*' ? null : { name: last, strength: 2 };
    }
    case 'A_Indirection': {
      const ind = n.indirection as AstNode[];
      const lastInd = ind[ind.length - 1];
      if (lastInd?.String) return { name: lastInd.String.sval, strength: 2 };
      return figure(n.arg);
    }
    case 'FuncCall':
      return { name: canonicalFunctionName(n), strength: 2 };
    case 'A_Expr':
      return n.kind === 'AEXPR_NULLIF' ? { name: 'nullif', strength: 2 } : null;
    case 'TypeCast': {
      const inner = figure(n.arg);
      if (inner && inner.strength === 2) return inner;
      const names = nameList(n.typeName?.names);
      return names.length ? { name: names[names.length - 1], strength: 1 } : inner;
    }
    case 'CollateClause':
      return figure(n.arg);
    case 'SubLink':
      switch (n.subLinkType) {
        case 'EXISTS_SUBLINK':
          return { name: 'exists', strength: 2 };
        case 'ARRAY_SUBLINK':
          return { name: 'array', strength: 2 };
        case 'EXPR_SUBLINK': {
          const target = n.subselect?.SelectStmt?.targetList?.[0]?.ResTarget;
          if (!target) return null;
          if (target.name) return { name: target.name, strength: 2 };
          return figure(target.val);
        }
        default:
          return null;
      }
    case 'CaseExpr': {
      const inner = figure(n.defresult);
      if (inner && inner.strength === 2) return inner;
      return { name: 'case', strength: 1 };
    }
    case 'A_ArrayExpr':
      return { name: 'array', strength: 2 };
    case 'RowExpr':
      return { name: 'row', strength: 2 };
    case 'CoalesceExpr':
      return { name: 'coalesce', strength: 2 };
    case 'MinMaxExpr':
      return { name: n.op === 'IS_GREATEST' ? 'greatest' : 'least', strength: 2 };
    case 'SQLValueFunction': {
      const name = SVF_NAMES[n.op as string];
      return name ? { name, strength: 2 } : null;
    }
    case 'GroupingFunc':
      return { name: 'grouping', strength: 2 };
    default:
      return null;
  }
}
