"""Stage: reading survey exports and writing tables and documents, safely (no formulas, atomic writes)."""
