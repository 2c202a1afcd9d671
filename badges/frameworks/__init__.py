"""Loading and reading competency frameworks."""
