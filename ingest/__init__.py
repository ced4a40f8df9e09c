"""Document processing for kennisbank (installed as ``kennisbank.ingest``): read, clean and cut documents.

This package knows nothing of indexes, retrieval or answering; it depends only on
the core types (``kennisbank.passage``, ``kennisbank.errors``, ``kennisbank.text``)
and turns files in the corpus folder into ``Passage`` objects.
"""
