"""cnamkg.representation package."""
