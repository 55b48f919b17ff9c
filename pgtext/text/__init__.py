"""Plain text helpers every stage uses: masking personal data, near-duplicate similarity."""
