"""HTML pages: sign-in, the role homes and the framework browser."""
