// Importing this module registers every built-in function with the catalog.
import './string.js';
import './regex.js';
import './bytea.js';
import './math.js';
import './system.js';
import './array.js';
import './series.js';
import './datetime.js';
import './json.js';
import './format.js';
import './to-char.js';
import './from-char.js';
import './sketch-hll.js';
import './sketch-bloom.js';
import './sketch-cmsketch.js';
import './sketch-topk.js';
import './sketch-tdigest.js';
