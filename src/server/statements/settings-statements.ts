// SET / RESET / SHOW.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import type { SettingArg } from '../../config/settings.js';
import { constantText } from './option-values.js';
import { computedColumn, type StatementPlan } from '../statement-plan.js';

/** VariableSetStmt arguments as the settings registry takes them. */
function settingArgs(args: any[] | undefined): SettingArg[] {
  return (args ?? []).map((a) => {
    if (!a.A_Const) throw new PgError(SQLSTATE.syntax_error, 'syntax error in SET value');
    const kind = a.A_Const.ival || a.A_Const.fval ? 'number' : 'string';
    return { kind, value: constantText(a) ?? '' };
  });
}

export function planVariableSet(node: any): StatementPlan {
  const { kind, name, args, is_local: isLocal } = node;
  if (kind === 'VAR_SET_MULTI') {
    // SET TRANSACTION / SET SESSION CHARACTERISTICS AS TRANSACTION: map DefElems to settings.
    const target = name === 'TRANSACTION' ? 'transaction' : 'default_transaction';
    return {
      kind: 'VariableSetStmt',
      paramTypes: [],
      columns: null,
      execute(session) {
        if (name === 'TRANSACTION' && !session.tx.inTransactionBlock) {
          session.notice(new PgError(SQLSTATE.no_active_sql_transaction, 'SET TRANSACTION can only be used in transaction blocks', { severity: 'WARNING' }));
          return { tag: 'SET' };
        }
        for (const d of args ?? []) {
          const item = d.DefElem;
          const setting = String(item.defname).replace(/^transaction_/, `${target}_`);
          session.settings.set(setting, settingArgs([item.arg]), name === 'TRANSACTION');
        }
        return { tag: 'SET' };
      },
    };
  }
  return {
    kind: 'VariableSetStmt',
    paramTypes: [],
    columns: null,
    execute(session) {
      const s = session.settings;
      if (isLocal && !session.tx.inTransactionBlock) {
        session.notice(new PgError(SQLSTATE.no_active_sql_transaction, 'SET LOCAL can only be used in transaction blocks', { severity: 'WARNING' }));
      }
      switch (kind) {
        case 'VAR_SET_VALUE':
          s.set(name, settingArgs(args), Boolean(isLocal));
          return { tag: 'SET' };
        case 'VAR_SET_DEFAULT':
          s.setDefault(name, Boolean(isLocal));
          return { tag: 'SET' };
        case 'VAR_RESET':
          s.setDefault(name, false);
          return { tag: 'RESET' };
        case 'VAR_RESET_ALL':
          s.resetAll();
          return { tag: 'RESET' };
        case 'VAR_SET_CURRENT':
          throw new PgError(SQLSTATE.feature_not_supported, 'SET ... FROM CURRENT is only supported in function definitions');
        default:
          throw new PgError(SQLSTATE.syntax_error, `unrecognized SET statement`);
      }
    },
  };
}

export function planVariableShow(node: any, session: { settings: { canonicalName(name: string): string } }): StatementPlan {
  const name = String(node.name);
  if (name === 'all') {
    return {
      kind: 'VariableShowStmt',
      paramTypes: [],
      columns: [computedColumn('name', OID.text), computedColumn('setting', OID.text), computedColumn('description', OID.text)],
      execute(session) {
        const rows = session.settings.showAll().map((r) => [r.name, r.setting, r.description]);
        return { rows, tag: 'SHOW' };
      },
    };
  }
  // The column is named after the setting as the registry spells it ("DateStyle").
  const column = session.settings.canonicalName(name);
  return {
    kind: 'VariableShowStmt',
    paramTypes: [],
    columns: [computedColumn(column, OID.text)],
    execute(session) {
      return { rows: [[session.settings.show(name)]], tag: 'SHOW' };
    },
  };
}
