// Importing this module registers the built-in aggregates.
import './count.js';
import './sum.js';
import './avg.js';
import './minmax.js';
import './bool-agg.js';
import './string-agg.js';
import './array-agg.js';
import './variance.js';
import './regression.js';
import './bit-agg.js';
import './json-agg.js';
import './sketch-hll.js';
import './sketch-bloom.js';
import './sketch-cmsketch.js';
import './sketch-topk.js';
import './sketch-tdigest.js';
export * from './aggregate.js';
