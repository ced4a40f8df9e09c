"""Document processing for kennisbank: read, clean and cut documents into passages.

This package knows nothing of indexes or retrieval; it turns files in the corpus
folder into :class:`kennisbank.passage.Passage` objects.
"""
