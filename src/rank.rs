//! Ranking: BM25 over fields, the policy-vocabulary bridge, per-interest shares, explanations.
