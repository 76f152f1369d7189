"""Rules that need no Frappe: plain Python, tested with plain pytest against fixtures/vectors.

The TypeScript side runs the same vectors, so both languages agree.
"""
