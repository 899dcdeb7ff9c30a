"""cnamkg.query package."""
