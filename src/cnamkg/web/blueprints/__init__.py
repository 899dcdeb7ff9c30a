"""cnamkg.web.blueprints package."""
