//! Relevance evaluation against judgements: Recall@k, nDCG@k, MRR.
