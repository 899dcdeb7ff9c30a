"""cnamkg.web package."""
