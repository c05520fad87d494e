// Importing this module registers every built-in operator with the catalog.
import './integer.js';
import './float.js';
import './numeric.js';
import './comparison.js';
import './text.js';
import './datetime.js';
import './array.js';
import './json.js';
