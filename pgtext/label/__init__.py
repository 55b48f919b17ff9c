"""Stage: applying a model to an export: scores, theme sets, review flags; in one piece or in chunks."""
