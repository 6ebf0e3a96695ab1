"""Web server command (serve)."""
