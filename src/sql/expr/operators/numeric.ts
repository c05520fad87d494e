// numeric arithmetic operators, computed by src/types/numeric.ts.
import { OID } from '../../../types/oids.js';
import {
  numericAbs,
  numericAdd,
  numericDiv,
  numericMod,
  numericMul,
  numericNegate,
  numericPower,
  numericSub,
} from '../../../types/numeric.js';
import { op, register } from './define.js';

const { numeric } = OID;

register(
  op('+', numeric, numeric, numeric, ([a, b]) => numericAdd(a, b)),
  op('-', numeric, numeric, numeric, ([a, b]) => numericSub(a, b)),
  op('*', numeric, numeric, numeric, ([a, b]) => numericMul(a, b)),
  op('/', numeric, numeric, numeric, ([a, b]) => numericDiv(a, b)),
  op('%', numeric, numeric, numeric, ([a, b]) => numericMod(a, b)),
  op('^', numeric, numeric, numeric, ([a, b]) => numericPower(a, b)),
  op('-', null, numeric, numeric, ([a]) => numericNegate(a)),
  op('+', null, numeric, numeric, ([a]) => a),
  op('@', null, numeric, numeric, ([a]) => numericAbs(a)),
);
