"""The evaluation suite: ``metrics`` (pure hit@k, MRR@k, nDCG@k), ``run`` (items, answers, summary,
baseline gate) and ``report`` (terminal table, report.md/json/png)."""
