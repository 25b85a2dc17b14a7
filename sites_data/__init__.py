"""The knowledge base: site schema, files, store with revisions, and search."""
