// Unit names accepted by date_part/extract, date_trunc and interval input,
// with PostgreSQL's spellings. Like PostgreSQL, names are compared lower-cased
// and cut to 10 characters, so "microseconds" and "timezone_hour" are found.

export type DateUnit =
  | 'microseconds' | 'milliseconds' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month'
  | 'quarter' | 'year' | 'decade' | 'century' | 'millennium' | 'dow' | 'doy' | 'isodow' | 'isoyear'
  | 'epoch' | 'julian' | 'timezone' | 'timezone_hour' | 'timezone_minute';

const UNITS: Record<string, DateUnit> = {};
function def(unit: DateUnit, names: string): void {
  for (const n of names.split(' ')) UNITS[n] = unit;
}
def('microseconds', 'microsecon microsecond us usec usecs useconds');
def('milliseconds', 'millisecon millisecond ms msec msecs mseconds');
def('second', 'second seconds s sec secs');
def('minute', 'minute minutes m min mins');
def('hour', 'hour hours h hr hrs');
def('day', 'day days d');
def('week', 'week weeks w');
def('month', 'month months mon mons');
def('quarter', 'quarter qtr');
def('year', 'year years y yr yrs');
def('decade', 'decade decades dec decs');
def('century', 'century centuries c cent');
def('millennium', 'millennium millennia mil mils');
def('dow', 'dow');
def('doy', 'doy');
def('isodow', 'isodow');
def('isoyear', 'isoyear');
def('epoch', 'epoch');
def('julian', 'julian j');
def('timezone', 'timezone');
def('timezone_hour', 'timezone_h');
def('timezone_minute', 'timezone_m');

/** Looks a unit name up as PostgreSQL does (case-insensitive, first 10 characters). */
export function lookupDateUnit(name: string): DateUnit | undefined {
  let n = name.toLowerCase();
  if (n.length > 10) n = n.slice(0, 10);
  return Object.prototype.hasOwnProperty.call(UNITS, n) ? UNITS[n] : undefined;
}
