// Date/time arithmetic operators: date +/- integer, date - date, date/time/
// timestamp/timestamptz +/- interval, timestamp differences, interval
// arithmetic. timestamptz steps run on the session TimeZone's calendar.
import { OID } from '../../../types/oids.js';
import type { Interval } from '../../../types/values.js';
import {
  dateMinusDate,
  datePlusDays,
  dateToTimestamp,
  timePlusInterval,
  timestampDifference,
  timestampMinusInterval,
  timestampPlusInterval,
  timestamptzMinusInterval,
  timestamptzPlusInterval,
} from '../../../types/datetime.js';
import { intervalAdd, intervalDiv, intervalMul, intervalNegate, intervalSub } from '../../../types/interval.js';
import { Interval as IntervalClass } from '../../../types/values.js';
import { zoneOf } from '../type-bridge.js';
import { op, register } from './define.js';

const { date, int4, interval, time, timestamp, timestamptz, float8 } = OID;
const stable = { volatility: 'stable' as const };

register(
  op('+', date, int4, date, ([d, n]) => datePlusDays(d, n)),
  op('+', int4, date, date, ([n, d]) => datePlusDays(d, n)),
  op('-', date, int4, date, ([d, n]) => datePlusDays(d, -n)),
  op('-', date, date, int4, ([a, b]) => dateMinusDate(a, b)),
  op('+', date, interval, timestamp, ([d, iv]) => timestampPlusInterval(dateToTimestamp(d), iv)),
  op('+', interval, date, timestamp, ([iv, d]) => timestampPlusInterval(dateToTimestamp(d), iv)),
  op('-', date, interval, timestamp, ([d, iv]) => timestampMinusInterval(dateToTimestamp(d), iv)),
  op('+', date, time, timestamp, ([d, t]) => dateToTimestamp(d) + t),
  op('+', time, date, timestamp, ([t, d]) => dateToTimestamp(d) + t),
  op('+', timestamp, interval, timestamp, ([ts, iv]) => timestampPlusInterval(ts, iv)),
  op('+', interval, timestamp, timestamp, ([iv, ts]) => timestampPlusInterval(ts, iv)),
  op('-', timestamp, interval, timestamp, ([ts, iv]) => timestampMinusInterval(ts, iv)),
  op('-', timestamp, timestamp, interval, ([a, b]) => timestampDifference(a, b)),
  op('+', timestamptz, interval, timestamptz, ([ts, iv], ctx) => timestamptzPlusInterval(ts, iv, zoneOf(ctx.io)), stable),
  op('+', interval, timestamptz, timestamptz, ([iv, ts], ctx) => timestamptzPlusInterval(ts, iv, zoneOf(ctx.io)), stable),
  op('-', timestamptz, interval, timestamptz, ([ts, iv], ctx) => timestamptzMinusInterval(ts, iv, zoneOf(ctx.io)), stable),
  op('-', timestamptz, timestamptz, interval, ([a, b]) => timestampDifference(a, b)),
  op('+', time, interval, time, ([t, iv]) => timePlusInterval(t, iv)),
  op('+', interval, time, time, ([iv, t]) => timePlusInterval(t, iv)),
  op('-', time, interval, time, ([t, iv]) => timePlusInterval(t, intervalNegate(iv as Interval))),
  op('-', time, time, interval, ([a, b]) => new IntervalClass(0, 0, a - b)),
  op('+', interval, interval, interval, ([a, b]) => intervalAdd(a, b)),
  op('-', interval, interval, interval, ([a, b]) => intervalSub(a, b)),
  op('-', null, interval, interval, ([a]) => intervalNegate(a)),
  op('+', null, interval, interval, ([a]) => a),
  op('*', interval, float8, interval, ([a, f]) => intervalMul(a, f)),
  op('*', float8, interval, interval, ([f, a]) => intervalMul(a, f)),
  op('/', interval, float8, interval, ([a, f]) => intervalDiv(a, f)),
);

