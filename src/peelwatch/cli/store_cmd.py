"""Database commands (ingest, queries, export, db upgrade)."""
