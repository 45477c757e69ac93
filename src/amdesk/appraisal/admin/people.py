"""Admin: people."""
