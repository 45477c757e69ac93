"""Admin: settings."""
