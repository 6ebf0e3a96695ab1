"""peelwatch.extract."""
