"""Readiness of a district's staff: current levels kept in step with the history, the dashboard's
figures, district targets, and training cohorts. Plain functions of the acting user."""
