"""The educator's side: self-assessment, goals, the evidence portfolio, the conference summary.

Operations here take the acting user as an argument, only add/flush, and raise InvalidInput
with field messages for bad input; the caller commits once or rolls back.
"""
