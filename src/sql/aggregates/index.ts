// Importing this module registers the built-in aggregates.
import './count.js';
import './sum.js';
import './avg.js';
import './minmax.js';
import './bool-agg.js';
import './string-agg.js';
import './array-agg.js';
export * from './aggregate.js';
