"""The index on disk: the only package that reads or writes under the index folder.

``manifest`` (table of contents, format version), ``layout`` (file names),
``bm25`` and ``vectors`` (the two search structures), ``reader`` (the current
generation) and ``writer`` (new generations, atomic switch, cleanup).
"""
