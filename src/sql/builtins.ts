// Registers every built-in function, operator and aggregate. Import once
// wherever SQL is planned.
import './functions/index.js';
import './expr/operators/index.js';
import './aggregates/index.js';
