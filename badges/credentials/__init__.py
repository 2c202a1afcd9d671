"""Verifiable credentials: JSON-LD processing and Data Integrity proofs."""
