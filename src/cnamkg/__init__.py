"""cnamkg: a linked-open-data publisher for the French public AI landscape around the Cnam.

Data flows one way (see ``DESIGN.md`` of the project):
``pipeline`` (load → validate → build) → ``store`` → ``query`` → ``representation`` → ``web``.
"""

__version__ = "0.1.0"
