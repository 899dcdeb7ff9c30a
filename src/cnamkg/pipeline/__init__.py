"""cnamkg.pipeline package."""
