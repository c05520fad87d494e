// PipelineDB 0.9 names of the sketch functions, registered as aliases of the
// 1.0 definitions (same signatures and semantics). 0.9's fss_topk (a set of
// value/frequency rows) has no 1.0 counterpart here and is not aliased.
import { functionCandidates, registerFunction, type FunctionDef } from './catalog.js';
// The 1.0 definitions must be registered before they are copied.
import './sketch-cmsketch.js';
import './sketch-topk.js';
import './sketch-tdigest.js';

function alias(oldName: string, newName: string, keep: (d: FunctionDef) => boolean = () => true): void {
  const defs = functionCandidates(newName).filter(keep);
  if (defs.length === 0) throw new Error(`sketch alias ${oldName}: no function ${newName}`);
  registerFunction(...defs.map((d) => ({ ...d, name: oldName })));
}

alias('cmsketch_frequency', 'freq');
alias('cmsketch_norm_frequency', 'freq_norm');
alias('cmsketch_total', 'freq_total');
alias('cmsketch_add', 'freq_add');
alias('fss_topk_values', 'topk_values');
alias('fss_topk_freqs', 'topk_freqs');
alias('fss_increment', 'topk_increment', (d) => d.args.length === 2);
alias('fss_increment_weighted', 'topk_increment', (d) => d.args.length === 3);
alias('tdigest_add', 'dist_add');
alias('tdigest_cdf', 'dist_cdf');
alias('tdigest_quantile', 'dist_quantile');
