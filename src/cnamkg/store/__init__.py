"""cnamkg.store package."""
