"""Admin: schemes."""
