"""Stage: what gets published: counts per theme, quotes, charts, discovery of new themes."""
